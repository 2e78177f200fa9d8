// The accounts page's search by nick (the start of a nick, case ignored, 20 a page from the
// app's nick directory) and its import form (one account with nick and face URL, or a list of
// IDs). The server runs account_import / multiaccount_import and answers with their codes.

import * as api from './api.js';
import { $, el, say, table } from './dom.js';

let failHandler = null;
let showAccount = null;
let query = '';
/** The `before` of each page shown (0: the first), so "Previous" steps back. */
let trail = [0];

function render(answer) {
  const rows = answer.Accounts.map((a) => [el('button', { type: 'button', class: 'link', onclick: () => showAccount(a.UserID) }, a.UserID), a.Nick]);
  // el() skips null children; replaceChildren would print them.
  $('account-nick-results').replaceChildren(el('div', {},
    el('h3', {}, answer.Accounts.length ? `Nicks starting with “${query}”` : `No account's nick starts with “${query}”.`),
    answer.Accounts.length ? table(['Account', 'Nick'], rows) : null,
    el('p', { class: 'actions' },
      trail.length > 1 ? el('button', { type: 'button', id: 'nick-previous', onclick: () => { trail.pop(); void load(); } }, 'Previous') : null,
      answer.Next ? el('button', { type: 'button', id: 'nick-next', onclick: () => { trail.push(answer.Next); void load(); } }, 'Next') : null),
  ));
}

async function load() {
  say($('accounts-status'), '', 'info');
  try {
    render(await api.searchNicks(query, trail[trail.length - 1]));
  } catch (err) {
    $('account-nick-results').replaceChildren();
    failHandler(err, $('accounts-status'));
  }
}

async function importFrom(form) {
  const f = form.elements;
  const list = f.list.value.split(/\s+/).filter((id) => id !== '');
  const body = list.length ? { Accounts: list } : { UserID: f.id.value.trim(), ...(f.nick.value ? { Nick: f.nick.value } : {}), ...(f.faceUrl.value ? { FaceUrl: f.faceUrl.value } : {}) };
  try {
    const answer = await api.importAccounts(body);
    const failed = answer.FailAccounts ?? [];
    const done = list.length ? `${list.length - failed.length} of ${list.length} accounts imported${failed.length ? `; refused: ${failed.join(', ')}` : ''}.` : `${body.UserID} was imported.`;
    say($('accounts-status'), done, failed.length ? 'error' : 'ok');
    form.reset();
  } catch (err) {
    // Nothing was imported; the form keeps what was typed.
    failHandler(err, $('accounts-status'), 'Not imported: ');
  }
}

/** `show(id)` opens an account found by nick as the ID search does. */
export function init(fail, show) {
  failHandler = fail;
  showAccount = show;
  $('account-nick-search').addEventListener('submit', (event) => {
    event.preventDefault();
    query = $('account-nick-search').elements.nick.value;
    trail = [0];
    $('account-view').replaceChildren();
    void load();
  });
  $('account-import').addEventListener('submit', (event) => {
    event.preventDefault();
    void importFrom($('account-import'));
  });
}
