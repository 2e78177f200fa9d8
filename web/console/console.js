// The console page: sign in as an app administrator, then view and change that app's
// callback configuration, or watch its statistics. Text goes into the page through
// textContent only. The entry of the console's bundle (build.cjs).

import * as api from './api.js';
import { changes, fill, renderCommands, syncAll } from './callback-form.js';
import * as statsPage from './stats-page.js';
import * as accountsPage from './accounts-page.js';
import * as groupsPage from './groups-page.js';
import * as messagesPage from './messages-page.js';
import * as settingsPage from './settings-page.js';
import * as auditPage from './audit-page.js';
import * as accountTools from './account-tools.js';
import * as pushPage from './push-page.js';
import * as appsPage from './apps-page.js';

const PAGES = ['callbacks', 'stats', 'accounts', 'groups', 'messages', 'settings', 'push', 'apps', 'audit'];

const $ = (id) => document.getElementById(id);
const signInForm = $('sign-in-form');
const callbackForm = $('callback-form');

/** The view last read from or written to the server: what "changed" is measured against. */
let loaded = null;

/** The page shown once signed in: one of PAGES. */
let page = 'callbacks';

function show(signedIn) {
  $('sign-in').hidden = signedIn;
  for (const name of PAGES) $(name).hidden = !signedIn || page !== name;
  if (signedIn && page === 'settings') settingsPage.show();
  if (signedIn && page === 'audit') auditPage.show();
  if (signedIn && page === 'push') void pushPage.show();
  if (signedIn && page === 'apps') appsPage.show();
  $('nav').hidden = !signedIn;
  $('who').hidden = !signedIn;
  if (signedIn && page === 'stats') void statsPage.show((err) => (err.signInAgain ? signOut(`Signed out: ${describe(err)}`) : say($('stats-error'), describe(err), 'error')));
  else statsPage.hide();
  const who = api.signedInAs();
  $('who-text').textContent = who ? `${who.identifier} of app ${who.sdkappid}` : '';
}

function say(element, text, kind) {
  element.textContent = text;
  element.dataset.kind = kind;
  element.hidden = text === '';
}

const describe = (err) => (err instanceof api.ApiError && err.code ? `${err.message} (ErrorCode ${err.code})` : err.message);

/** Back to the sign-in form, saying why (an expired UserSig, a changed administrator list…). */
function signOut(reason = '') {
  void api.signOut();
  loaded = null;
  callbackForm.reset();
  show(false);
  say($('sign-in-error'), reason, 'error');
}

/** A refusal on a page: shown in `element`, or back to signing in when the sign-in is gone. */
function fail(err, element, prefix = '') {
  if (err.signInAgain) return signOut(`Signed out: ${describe(err)}`);
  say(element, `${prefix}${describe(err)}`, 'error');
}
for (const p of [accountsPage, groupsPage, messagesPage, settingsPage, pushPage, appsPage, auditPage]) p.init(fail);
accountTools.init(fail, accountsPage.open);

function showAnswer(answer) {
  if (!loaded) renderCommands($('commands'), answer.Commands);
  loaded = answer.Callback;
  fill(callbackForm, loaded);
}

async function load() {
  try {
    showAnswer(await api.readCallback());
    show(true);
    say($('save-status'), '', 'info');
  } catch (err) {
    if (err.signInAgain || !loaded) signOut(`Sign-in refused: ${describe(err)}`);
    else say($('save-status'), `Could not reload: ${describe(err)}`, 'error');
  }
}

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const el = signInForm.elements;
  // A UserSig pasted from a terminal may wrap over lines.
  const creds = { sdkappid: el.sdkappid.value.trim(), identifier: el.identifier.value.trim(), usersig: el.usersig.value.replace(/\s+/g, '') };
  try {
    await api.signIn(creds);
  } catch (err) {
    return say($('sign-in-error'), `Sign-in refused: ${describe(err)}`, 'error');
  }
  el.usersig.value = '';
  say($('sign-in-error'), '', 'error');
  void load();
});

for (const button of document.querySelectorAll('#nav button')) {
  button.addEventListener('click', () => {
    page = button.dataset.page;
    for (const b of document.querySelectorAll('#nav button')) b.setAttribute('aria-current', String(b === button));
    show(true);
  });
}

callbackForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('save-status');
  const patch = changes(callbackForm, loaded);
  if (Object.keys(patch).length === 0) return say(status, 'Nothing changed.', 'info');
  const button = $('save');
  button.disabled = true;
  say(status, 'Saving…', 'info');
  try {
    showAnswer(await api.writeCallback(patch));
    say(status, `Saved (${Object.keys(patch).join(', ')}) at ${new Date().toLocaleTimeString()}.`, 'ok');
  } catch (err) {
    if (err.signInAgain) return signOut(`Signed out: ${describe(err)}`);
    // Nothing was stored; the form keeps what was typed so it can be corrected.
    say(status, `Not saved: ${describe(err)}`, 'error');
  } finally {
    button.disabled = false;
  }
});

callbackForm.elements.allCommands.addEventListener('change', () => syncAll(callbackForm));
$('reload').addEventListener('click', () => void load());
$('sign-out').addEventListener('click', () => signOut());

void api.restore().then((signedIn) => (signedIn ? load() : show(false)));
