// The settings page: the app's settings sections (login policy, messages, groups, profile and
// relationship fields and checks, media limits, REST rate limits), one field per input: a
// checkbox for a switch, a number box, a choice, or JSON for a list. Only changed fields are
// sent; the server validates them as `parley apps set` does and its refusal is shown as
// written. A number box left empty sends null: a media limit then goes back to the node's value.

import * as api from './api.js';
import { $, el, say } from './dom.js';

const TITLES = { login: 'Multi-device login', messages: 'One-to-one messages', groups: 'Groups', relations: 'Profiles and relationships', media: 'Media limits (MB; empty = this node\'s default)', rateLimits: 'REST rate limits (calls per second)' };

let failHandler = null;
let loaded = null;

function input(name, value, choices) {
  if (typeof value === 'boolean') return el('label', { class: 'inline' }, el('input', { type: 'checkbox', name, checked: value }), name.split('.')[1]);
  if (choices) return el('label', {}, name.split('.')[1], el('select', { name }, choices.map((c) => el('option', { value: c, selected: c === value }, c))));
  if (typeof value === 'number') return el('label', {}, name.split('.')[1], el('input', { name, inputmode: 'numeric', value: String(value) }));
  if (typeof value === 'string') return el('label', {}, name.split('.')[1], el('input', { name, value }));
  return el('label', {}, `${name.split('.')[1]} (JSON)`, el('textarea', { name, rows: 3, spellcheck: 'false' }, JSON.stringify(value)));
}

function render(answer) {
  loaded = answer.Settings;
  const fields = $('settings-fields');
  fields.replaceChildren();
  for (const [section, values] of Object.entries(loaded)) {
    // Optional lists (custom group and member fields) show even when unset.
    const all = section === 'groups' ? { groupFields: [], memberFields: [], ...values } : values;
    fields.append(el('fieldset', {}, el('legend', {}, TITLES[section] ?? section), Object.entries(all).map(([k, v]) => input(`${section}.${k}`, v, answer.Choices[`${section}.${k}`]))));
  }
}

/** What the form holds, typed: numbers as numbers and JSON parsed; a value that is neither goes as typed, for the server to refuse. */
function valueOf(control, before) {
  if (control.type === 'checkbox') return control.checked;
  const text = control.value.trim();
  if (typeof before === 'number') return text === '' ? null : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  if (control.tagName === 'TEXTAREA') {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return control.value;
}

function changes() {
  const patch = {};
  for (const control of $('settings-form').querySelectorAll('[name]')) {
    const [section, key] = control.name.split('.');
    const before = loaded[section][key] ?? (control.tagName === 'TEXTAREA' ? [] : undefined);
    const now = valueOf(control, before);
    if (JSON.stringify(now) !== JSON.stringify(before)) (patch[section] ??= {})[key] = now;
  }
  return patch;
}

async function load() {
  try {
    render(await api.readSettings());
  } catch (err) {
    failHandler(err, $('settings-status'));
  }
}

export const show = () => void load();

export function init(fail) {
  failHandler = fail;
  $('settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const status = $('settings-status');
    const patch = changes();
    const names = Object.entries(patch).flatMap(([s, f]) => Object.keys(f).map((k) => `${s}.${k}`));
    if (names.length === 0) return say(status, 'Nothing changed.', 'info');
    say(status, 'Saving…', 'info');
    try {
      render(await api.writeSettings(patch));
      say(status, `Saved (${names.join(', ')}) at ${new Date().toLocaleTimeString()}.`, 'ok');
    } catch (err) {
      // Nothing was stored; the form keeps what was typed so it can be corrected.
      failHandler(err, status, 'Not saved: ');
    }
  });
  $('settings-reload').addEventListener('click', () => void load().then(() => say($('settings-status'), '', 'info')));
}
