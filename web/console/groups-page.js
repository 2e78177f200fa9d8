// The groups page: find a group by ID, see its profile and its members with their roles
// (paged), disband it. The server runs get_group_info, get_group_member_info and
// destroy_group, so the groups context's rules and codes answer.

import * as api from './api.js';
import { $, el, say, table, when } from './dom.js';

let failHandler = null;
let shown = '';

function render(answer) {
  const { Group: g, Members, MemberNum, Offset, PageSize } = answer;
  shown = g.GroupId;
  const more = Offset + Members.length < MemberNum;
  $('group-view').replaceChildren(
    el('h3', {}, `${g.Name || g.GroupId} (${g.Type})`),
    table(['Field', 'Value'], Object.entries(g).map(([k, v]) => [k, k.endsWith('Time') ? when(v) : String(v)])),
    el('h4', {}, `Members ${Members.length ? Offset + 1 : 0}–${Offset + Members.length} of ${MemberNum}`),
    table(['Account', 'Role', 'Joined', 'Muted until'], Members.map((m) => [m.Member_Account, m.Role, when(m.JoinTime), when(m.ShutUpUntil)])),
    el('p', { class: 'actions' },
      Offset > 0 ? el('button', { type: 'button', onclick: () => find(shown, Math.max(0, Offset - PageSize)) }, 'Previous members') : null,
      more ? el('button', { type: 'button', onclick: () => find(shown, Offset + PageSize) }, 'Next members') : null,
      el('button', { type: 'button', id: 'group-disband', class: 'danger', onclick: disband }, 'Disband group')),
  );
}

async function find(id, offset = 0) {
  say($('groups-status'), '', 'info');
  try {
    render(await api.readGroup(id, offset));
  } catch (err) {
    $('group-view').replaceChildren();
    failHandler(err, $('groups-status'));
  }
}

async function disband() {
  const id = shown;
  if (!id || !confirm(`Disband group ${id}? Its members and history go with it.`)) return;
  try {
    await api.disbandGroup(id);
    shown = '';
    $('group-view').replaceChildren();
    say($('groups-status'), `${id} was disbanded.`, 'ok');
  } catch (err) {
    failHandler(err, $('groups-status'));
  }
}

export function init(fail) {
  failHandler = fail;
  $('group-search').addEventListener('submit', (event) => {
    event.preventDefault();
    void find($('group-search').elements.id.value.trim());
  });
}
