// The audit log page: every change made through the console, newest first, a page at a time
// (who, when, what, on what, the field names sent and how it ended). Values are never in the
// log, so nothing secret shows here.

import * as api from './api.js';
import { $, el, say, table } from './dom.js';

let failHandler = null;
/** The `before` of each page shown so far (0: the newest), so "Newer" steps back. */
let trail = [0];

const outcome = (e) => (e.ErrorCode === undefined ? 'unfinished' : e.ErrorCode === 0 ? 'done' : `refused (${e.ErrorCode}: ${e.ErrorInfo})`);

function render(answer) {
  const { Entries, Total, Next } = answer;
  $('audit-view').replaceChildren(
    el('p', { class: 'hint' }, `${Total} changes recorded.`),
    table(['#', 'When', 'Administrator', 'Action', 'Target', 'Fields', 'Outcome'],
      Entries.map((e) => [String(e.Entry), new Date(e.Time).toLocaleString(), e.Admin, e.Action, e.Target, e.Fields.join(', '), outcome(e)])),
    el('p', { class: 'actions' },
      trail.length > 1 ? el('button', { type: 'button', id: 'audit-newer', onclick: () => { trail.pop(); void load(); } }, 'Newer') : null,
      Next ? el('button', { type: 'button', id: 'audit-older', onclick: () => { trail.push(Next); void load(); } }, 'Older') : null),
  );
}

async function load() {
  say($('audit-status'), '', 'info');
  try {
    render(await api.readAudit(trail[trail.length - 1]));
  } catch (err) {
    $('audit-view').replaceChildren();
    failHandler(err, $('audit-status'));
  }
}

/** Shown: the newest page, read afresh (a change made on another page is already in it). */
export function show() {
  trail = [0];
  void load();
}

export function init(fail) {
  failHandler = fail;
  $('audit-reload').addEventListener('click', () => show());
}
