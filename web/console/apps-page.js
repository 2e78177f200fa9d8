// The apps page: the installation's apps (the first app's administrators only), creating one,
// rotating an app's secret key. A secret key is shown once, in the answer that made it; the
// list never holds one. Rotating the signed-in app's key signs this console out too.

import * as api from './api.js';
import { $, el, say, table } from './dom.js';

let failHandler = null;

function showSecret(text, key) {
  $('apps-secret-text').textContent = text;
  $('apps-secret-key').textContent = key;
  $('apps-secret').hidden = key === '';
}

function render(answer) {
  $('apps-view').replaceChildren(table(['SDKAppID', 'Administrators', 'Created', ''],
    answer.Apps.map((a) => [
      `${a.SdkAppId}${a.SignedIn ? ' (this one)' : ''}`,
      a.Admins.join(', '),
      new Date(a.CreateTime).toLocaleString(),
      el('button', { type: 'button', class: 'danger rotate', 'data-app': a.SdkAppId, onclick: () => rotate(a) }, 'Rotate secret key'),
    ])));
}

async function load() {
  try {
    render(await api.readApps());
  } catch (err) {
    $('apps-view').replaceChildren();
    // 403 here means "not the first app's administrator", not a lost sign-in: say it, stay.
    if (err.code === 60010) return say($('apps-status'), err.message, 'error');
    failHandler(err, $('apps-status'));
  }
}

async function rotate(app) {
  const self = app.SignedIn ? ' This console is signed in to it: you will be signed out.' : '';
  if (!confirm(`Rotate the secret key of app ${app.SdkAppId}? Every UserSig signed with the current key stops working at once.${self}`)) return;
  try {
    const answer = await api.rotateSecret(app.SdkAppId);
    showSecret(`New secret key of app ${answer.SdkAppId} (shown once; copy it now):`, answer.SecretKey);
    say($('apps-status'), '', 'info');
    if (!app.SignedIn) await load();
  } catch (err) {
    failHandler(err, $('apps-status'), 'Not rotated: ');
  }
}

export function show() {
  showSecret('', '');
  say($('apps-status'), '', 'info');
  void load();
}

export function init(fail) {
  failHandler = fail;
  $('app-create').addEventListener('submit', async (event) => {
    event.preventDefault();
    const admins = $('app-create').elements.admins.value.split(',').map((a) => a.trim()).filter((a) => a !== '');
    try {
      const answer = await api.createApp(admins);
      showSecret(`App ${answer.SdkAppId} created. Its secret key (shown once; copy it now):`, answer.SecretKey);
      say($('apps-status'), '', 'info');
      $('app-create').reset();
      await load();
    } catch (err) {
      failHandler(err, $('apps-status'), 'Not created: ');
    }
  });
}
