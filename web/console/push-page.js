// The push credentials page: APNs, FCM and Web Push of the signed-in app. The server never
// sends a private key back, only whether one is set and a fingerprint, so the key fields start
// empty and an empty key keeps the stored one. Only changed fields are sent; the server checks
// them as `parley apps set` does (an APNs key must be ES256…) and its refusal is shown as written.

import * as api from './api.js';
import { $, say } from './dom.js';

const PROVIDERS = ['apns', 'fcm', 'webpush'];
/** The fields shown back, by provider (the view's names); secrets are not among them. */
const SHOWN = { apns: ['teamId', 'keyId', 'bundleId', 'production', 'endpoint'], fcm: ['endpoint'], webpush: ['publicKey', 'subject'] };
const SECRET = { apns: 'key', fcm: 'serviceAccount', webpush: 'privateKey' };

let failHandler = null;
let loaded = null;

const field = (provider, name) => $('push-form').elements[`${provider}.${name}`];

function stateOf(provider, view) {
  const set = provider === 'webpush' ? view.privateKeySet : view.keySet;
  const print = provider === 'webpush' ? view.privateKeyFingerprint : view.keyFingerprint;
  const who = provider === 'fcm' && set ? ` (${view.projectId}, ${view.clientEmail})` : '';
  return `${view.on ? 'on' : 'off'}; ${set ? `key set${who}, fingerprint ${print}` : 'no key'}`;
}

function render(answer) {
  loaded = answer.Push;
  for (const provider of PROVIDERS) {
    const view = loaded[provider];
    for (const name of SHOWN[provider]) {
      const input = field(provider, name);
      if (input.type === 'checkbox') input.checked = view[name];
      else input.value = view[name];
    }
    field(provider, SECRET[provider]).value = '';
    $(`push-${provider}`).querySelector('[data-state]').textContent = stateOf(provider, view);
  }
}

/** `{ provider: { changed fields } }`; a typed secret is a change, an empty one keeps the stored. */
function changes() {
  const patch = {};
  for (const provider of PROVIDERS) {
    const fields = {};
    for (const name of SHOWN[provider]) {
      const input = field(provider, name);
      const value = input.type === 'checkbox' ? input.checked : input.value.trim();
      if (value !== loaded[provider][name]) fields[name] = value;
    }
    const secret = field(provider, SECRET[provider]).value;
    if (secret.trim() !== '') fields[SECRET[provider]] = secret;
    if (Object.keys(fields).length) patch[provider] = fields;
  }
  return patch;
}

async function save(patch, done) {
  const status = $('push-status');
  if (Object.keys(patch).length === 0) return say(status, 'Nothing changed.', 'info');
  say(status, 'Saving…', 'info');
  try {
    render(await api.writePush(patch));
    say(status, done, 'ok');
  } catch (err) {
    // Nothing was stored; the form keeps what was typed so it can be corrected.
    failHandler(err, status, 'Not saved: ');
  }
}

/** Shown: read afresh (the CLI or another console may have changed it). */
export async function show() {
  try {
    render(await api.readPush());
  } catch (err) {
    failHandler(err, $('push-status'));
  }
}

export function init(fail) {
  failHandler = fail;
  $('push-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const patch = changes();
    const names = Object.entries(patch).flatMap(([p, f]) => Object.keys(f).map((n) => `${p}.${n}`));
    void save(patch, `Saved (${names.join(', ')}) at ${new Date().toLocaleTimeString()}.`);
  });
  for (const button of $('push-form').querySelectorAll('[data-clear]')) {
    button.addEventListener('click', () => {
      const provider = button.dataset.clear;
      if (!confirm(`Remove the ${provider} credentials of this app? Its ${provider} pushes stop.`)) return;
      void save({ [provider]: null }, `Removed the ${provider} credentials.`);
    });
  }
}
