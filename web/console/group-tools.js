// The groups page's tools for the group shown: its message history, or one of its topics', as the
// administrator reads it (group_msg_get_simple, 20 a page, newest first, older pages on request) and muting or
// unmuting a member (forbid_send_msg). The server answers with those commands' codes.

import * as api from './api.js';
import { $, el, say, table, when } from './dom.js';

let failHandler = null;
let groupId = '';
let topicId = '';
let rows = [];
let next = 0;
let reloadGroup = null;

/** A message body in one line: text as written, other elements by type. */
const summary = (body) => (body ?? []).map((e) => (e.MsgType === 'TIMTextElem' ? e.MsgContent.Text : `[${String(e.MsgType).replace(/^TIM|Elem$/g, '')}]`)).join(' ');

function render() {
  // el() skips null children; replaceChildren would print them.
  $('group-history').replaceChildren(el('div', {},
    el('h4', {}, `History${topicId ? ` of topic ${topicId}` : ''}: ${rows.length} message${rows.length === 1 ? '' : 's'}${next ? ' (older ones on request)' : ''}`),
    table(['#', 'Sent', 'From', 'Message'], rows.map((m) => [String(m.MsgSeq), when(m.MsgTimeStamp), m.From_Account, m.IsPlaceMsg ? el('em', {}, 'deleted') : summary(m.MsgBody)])),
    next ? el('p', {}, el('button', { type: 'button', id: 'group-history-older', onclick: () => load(true) }, 'Older messages')) : null,
  ));
}

async function load(older = false) {
  try {
    const page = await api.readGroupHistory(groupId, older ? next : 0, topicId);
    rows = older ? rows.concat(page.Messages) : page.Messages;
    next = page.Complete ? 0 : page.NextSeq;
    render();
  } catch (err) {
    failHandler(err, $('groups-status'));
  }
}

async function mute(form) {
  const member = form.elements.member.value.trim();
  const typed = form.elements.minutes.value.trim();
  // Not a number: sent as typed, for forbid_send_msg to refuse in its own words.
  const seconds = /^\d+$/.test(typed) ? Number(typed) * 60 : typed;
  try {
    await api.muteMember(groupId, member, seconds);
    say($('groups-status'), seconds === 0 ? `${member} may speak again.` : `${member} is muted for ${typed} minutes.`, 'ok');
    await reloadGroup(groupId);
  } catch (err) {
    failHandler(err, $('groups-status'), 'Not muted: ');
  }
}

/** The history of one of the group's topics ('' = the group's own). */
export function showTopic(id) {
  topicId = id;
  rows = [];
  next = 0;
  void load();
}

/** The tools act on `id` from now on (a group was found); '' hides them. */
export function showFor(id) {
  groupId = id;
  topicId = '';
  rows = [];
  next = 0;
  $('group-history').replaceChildren();
  $('group-tools').hidden = id === '';
}

/** `reload(id)` shows the group again (its members' mute times changed). */
export function init(fail, reload) {
  failHandler = fail;
  reloadGroup = reload;
  $('group-history-show').addEventListener('click', () => showTopic(''));
  $('group-mute').addEventListener('submit', (event) => {
    event.preventDefault();
    void mute($('group-mute'));
  });
}
