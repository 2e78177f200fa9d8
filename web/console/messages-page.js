// The messages page: a one-to-one conversation as the administrator sees it (the server reads
// it with admin_getroammsg as the first account), newest first, older pages on request, and
// recalling a message (admin_msgwithdraw: both sides see it recalled).

import * as api from './api.js';
import { $, el, say, table, when } from './dom.js';

let failHandler = null;
let pair = null;
let rows = [];
let next = '';

/** A message body in one line: text as written, other elements by type. */
const summary = (body) => body.map((e) => (e.MsgType === 'TIMTextElem' ? e.MsgContent.Text : `[${e.MsgType.replace(/^TIM|Elem$/g, '')}]`)).join(' ');

function render() {
  const cells = rows.map((m) => [
    when(m.MsgTimeStamp),
    m.From_Account,
    m.MsgFlagBits === 1 ? el('em', {}, 'recalled') : summary(m.MsgBody),
    m.MsgFlagBits === 1 ? '' : el('button', { type: 'button', class: 'recall', 'data-key': m.MsgKey, onclick: () => recall(m) }, 'Recall'),
  ]);
  $('message-view').replaceChildren(
    el('h3', {}, `${pair.account} ↔ ${pair.peer}: ${rows.length} message${rows.length === 1 ? '' : 's'}`),
    table(['Sent', 'From', 'Message', ''], cells),
    next ? el('p', {}, el('button', { type: 'button', id: 'older', onclick: () => load(true) }, 'Older messages')) : null,
  );
}

async function load(older = false) {
  say($('messages-status'), '', 'info');
  try {
    const page = await api.readHistory(pair.account, pair.peer, older ? next : '');
    rows = older ? rows.concat(page.Messages) : page.Messages;
    next = page.Complete ? '' : page.LastMsgKey;
    render();
  } catch (err) {
    if (!older) $('message-view').replaceChildren();
    failHandler(err, $('messages-status'));
  }
}

async function recall(m) {
  if (!confirm(`Recall this message from ${m.From_Account}?`)) return;
  try {
    await api.recallMessage(m.From_Account, m.To_Account, m.MsgKey);
    await load();
    say($('messages-status'), 'The message was recalled.', 'ok');
  } catch (err) {
    failHandler(err, $('messages-status'));
  }
}

export function init(fail) {
  failHandler = fail;
  const form = $('message-search');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    pair = { account: form.elements.account.value.trim(), peer: form.elements.peer.value.trim() };
    void load();
  });
}
