// The groups page: find a group by ID, see its profile, its members with their roles (paged) and
// a Community's topics (each with its history), disband it. The server runs get_group_info, get_group_member_info and
// destroy_group, so the groups context's rules and codes answer.

import * as api from './api.js';
import { $, el, say, table, when } from './dom.js';
import * as tools from './group-tools.js';

let failHandler = null;
let shown = '';

function render(answer) {
  const { Group: g, Members, MemberNum, Offset, PageSize, Topics = [] } = answer;
  shown = g.GroupId;
  const more = Offset + Members.length < MemberNum;
  $('group-view').replaceChildren(
    el('h3', {}, `${g.Name || g.GroupId} (${g.Type})`),
    table(['Field', 'Value'], Object.entries(g).map(([k, v]) => [k, k.endsWith('Time') ? when(v) : String(v)])),
    el('h4', {}, `Members ${Members.length ? Offset + 1 : 0}–${Offset + Members.length} of ${MemberNum}`),
    table(['Account', 'Role', 'Joined', 'Muted until'], Members.map((m) => [m.Member_Account, m.Role, when(m.JoinTime), when(m.ShutUpUntil)])),
    // replaceChildren would print a null child: the topics' part is spread in only when there are topics.
    ...(Topics.length ? [
      el('h4', {}, `Topics (${Topics.length})`),
      table(['Topic', 'Name', 'Last message', 'Messages', 'All muted', ''], Topics.map((t) => [
        t.TopicId, t.TopicName, when(t.LastMsgTime), String(t.NextMsgSeq - 1), t.ShutUpAllFlag ? 'yes' : 'no',
        el('button', { type: 'button', class: 'topic-history', onclick: () => tools.showTopic(t.TopicId) }, 'History'),
      ])),
    ] : []),
    el('p', { class: 'actions' },
      Offset > 0 ? el('button', { type: 'button', onclick: () => find(shown, Math.max(0, Offset - PageSize)) }, 'Previous members') : null,
      more ? el('button', { type: 'button', onclick: () => find(shown, Offset + PageSize) }, 'Next members') : null,
      el('button', { type: 'button', id: 'group-disband', class: 'danger', onclick: disband }, 'Disband group')),
  );
}

async function find(id, offset = 0, quiet = false) {
  if (!quiet) say($('groups-status'), '', 'info');
  try {
    render(await api.readGroup(id, offset));
    if (!quiet) tools.showFor(id);
  } catch (err) {
    $('group-view').replaceChildren();
    tools.showFor('');
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
    tools.showFor('');
    say($('groups-status'), `${id} was disbanded.`, 'ok');
  } catch (err) {
    failHandler(err, $('groups-status'));
  }
}

export function init(fail) {
  failHandler = fail;
  // After a mute: the member list again, keeping the status line and the history shown.
  tools.init(fail, (id) => find(id, 0, true));
  $('group-search').addEventListener('submit', (event) => {
    event.preventDefault();
    void find($('group-search').elements.id.value.trim());
  });
}
