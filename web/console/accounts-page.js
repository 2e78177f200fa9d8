// The accounts page: find an account by ID, see its profile, online devices and global mute, kick it
// (every device drops) or delete it. The server runs the REST commands (account_check,
// portrait_get, query_online_status, kick, account_delete) and answers with their codes.

import * as api from './api.js';
import { $, el, say, table } from './dom.js';

let shown = '';

/** getnospeaking's "for ever". */
const FOREVER = 4294967295;
const left = (s) => (s === 0 ? 'not muted' : s >= FOREVER ? 'muted for ever' : `muted for ${Math.ceil(s / 60)} more minute${s > 60 ? 's' : ''}`);

/** The account's global mute (openconfigsvr/setnospeaking), when the cluster serves it. */
function muteBox(account) {
  const m = account.NoSpeaking;
  if (!m) return [];
  const minutes = (name, label) => el('label', {}, label, el('input', { name, inputmode: 'numeric', placeholder: 'unchanged' }));
  return [
    el('h4', {}, 'Global mute'),
    el('p', { id: 'account-mute-state' }, `One-to-one messages: ${left(m.C2CmsgNospeakingTime)}; group messages: ${left(m.GroupmsgNospeakingTime)}.`),
    el('form', { id: 'account-mute', class: 'search', autocomplete: 'off', onsubmit: (event) => { event.preventDefault(); void mute(event.target); } },
      minutes('c2c', 'One-to-one: minutes (0 lifts)'), minutes('group', 'Groups: minutes (0 lifts)'), el('button', { type: 'submit' }, 'Set global mute')),
  ];
}

async function mute(form) {
  const id = shown;
  const body = {};
  for (const [name, field] of [['c2c', 'C2CmsgNospeakingTime'], ['group', 'GroupmsgNospeakingTime']]) {
    const typed = form.elements[name].value.trim();
    // Not a number: sent as typed, for setnospeaking to refuse in its own words.
    if (typed !== '') body[field] = /^\d+$/.test(typed) ? Number(typed) * 60 : typed;
  }
  try {
    await api.muteAccount(id, body);
    await find(id, failHandler);
    say($('accounts-status'), `The global mute of ${id} was set.`, 'ok');
  } catch (err) {
    failHandler(err, $('accounts-status'), 'Not set: ');
  }
}

function render(account) {
  const view = $('account-view');
  view.replaceChildren();
  shown = account.Imported ? account.UserID : '';
  if (!account.Imported) return view.append(el('p', { id: 'account-state' }, `${account.UserID}: not imported (no such account).`));
  const devices = account.Devices.length === 0 ? el('p', { id: 'account-devices' }, 'No device online.') : el('ul', { id: 'account-devices' }, account.Devices.map((d) => el('li', {}, `${d.Platform}: ${d.Status}`)));
  view.append(
    el('h3', {}, account.UserID),
    el('p', { id: 'account-state' }, `Status: ${account.Status}`),
    table(['Profile field', 'Value'], account.Profile.map((p) => [p.Tag.replace(/^Tag_Profile_IM_/, ''), typeof p.Value === 'string' ? p.Value : JSON.stringify(p.Value)])),
    el('h4', {}, 'Online devices'),
    devices,
    ...muteBox(account),
    el('p', { class: 'actions' }, el('button', { type: 'button', id: 'account-kick', onclick: () => act('kick') }, 'Kick (sign out every device)'), el('button', { type: 'button', id: 'account-delete', class: 'danger', onclick: () => act('delete') }, 'Delete account')),
  );
}

async function find(id, fail) {
  const status = $('accounts-status');
  say(status, '', 'info');
  try {
    render((await api.readAccount(id)).Account);
    say(status, '', 'info');
  } catch (err) {
    $('account-view').replaceChildren();
    fail(err, status);
  }
}

let failHandler = null;

async function act(what) {
  const id = shown;
  if (!id) return;
  if (what === 'delete' && !confirm(`Delete account ${id}? This cannot be undone.`)) return;
  const status = $('accounts-status');
  try {
    await (what === 'kick' ? api.kickAccount(id) : api.deleteAccount(id));
    await find(id, failHandler);
    say(status, what === 'kick' ? `${id} was kicked.` : `${id} was deleted.`, 'ok');
  } catch (err) {
    failHandler(err, status);
  }
}

/** `fail(err, element)` shows a refusal (or signs out when the sign-in is gone). */
export function init(fail) {
  failHandler = fail;
  $('account-search').addEventListener('submit', (event) => {
    event.preventDefault();
    void find($('account-search').elements.id.value.trim(), fail);
  });
}

/** Shows account `id` as a search by ID would (a hit of the nick search). */
export function open(id) {
  $('account-search').elements.id.value = id;
  $('account-nick-results').replaceChildren();
  void find(id, failHandler);
}
