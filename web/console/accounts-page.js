// The accounts page: find an account by ID, see its profile and online devices, kick it
// (every device drops) or delete it. The server runs the REST commands (account_check,
// portrait_get, query_online_status, kick, account_delete) and answers with their codes.

import * as api from './api.js';
import { $, el, say, table } from './dom.js';

let shown = '';

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
