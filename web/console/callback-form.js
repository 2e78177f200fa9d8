// The callback form: fills itself from the server's view and says what the administrator
// changed. Rules (ranges, URL shape, command names) are the server's alone: the form sends
// what was typed, and the server's refusal is what the administrator reads.

const NUMBERS = ['timeoutMs', 'retryBaseMs', 'retryMaxMs', 'retryMaxAgeMs'];
const ALL = '*';

/** One checkbox per command, grouped by the part before the dot (State, Sns, C2C, Group…). */
export function renderCommands(container, names) {
  container.replaceChildren();
  const groups = new Map();
  for (const name of names) {
    const prefix = name.split('.')[0];
    if (!groups.has(prefix)) groups.set(prefix, []);
    groups.get(prefix).push(name);
  }
  for (const [prefix, members] of groups) {
    const box = document.createElement('fieldset');
    box.className = 'command-group';
    const legend = document.createElement('legend');
    legend.textContent = prefix;
    box.append(legend);
    for (const name of members) {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.name = 'command';
      input.value = name;
      const code = document.createElement('code');
      code.textContent = name;
      label.append(input, ' ', code);
      box.append(label);
    }
    container.append(box);
  }
}

/** Shows `view` (the server's Callback object) in the form. */
export function fill(form, view) {
  const el = form.elements;
  el.url.value = view.url;
  el.token.value = '';
  el.clearToken.checked = false;
  el.clearToken.disabled = !view.tokenSet;
  form.querySelector('#token-state').textContent = view.tokenSet ? 'A token is set; it is never shown. Type a new one to replace it.' : 'No token: requests are not signed.';
  for (const name of NUMBERS) el[name].value = String(view[name]);
  el.beforeTimeoutPolicy.value = view.beforeTimeoutPolicy;
  el.allCommands.checked = view.commands.includes(ALL);
  for (const box of commandBoxes(form)) {
    box.disabled = false;
    box.checked = view.commands.includes(box.value);
  }
  syncAll(form);
}

/**
 * While "all" is on, every command shows as enabled (greyed out, as it cannot be unticked);
 * each box's own choice is kept aside and comes back when "all" is turned off.
 */
export function syncAll(form) {
  const all = form.elements.allCommands.checked;
  for (const box of commandBoxes(form)) {
    if (all && !box.disabled) box.dataset.own = String(box.checked);
    if (!all && box.disabled) box.checked = box.dataset.own === 'true';
    if (all) box.checked = true;
    box.disabled = all;
  }
}

/** The fields that differ from `view`: only those are sent, so a save never undoes a change made meanwhile elsewhere (CLI, another console) to a field left alone here. */
export function changes(form, view) {
  const el = form.elements;
  const patch = {};
  if (el.url.value.trim() !== view.url) patch.url = el.url.value.trim();
  if (el.token.value !== '') patch.token = el.token.value;
  else if (el.clearToken.checked) patch.token = '';
  for (const name of NUMBERS) {
    const typed = el[name].value.trim();
    // Not a number: sent as typed, for the server to refuse in its own words.
    const value = typed !== '' && Number.isFinite(Number(typed)) ? Number(typed) : typed;
    if (value !== view[name]) patch[name] = value;
  }
  if (el.beforeTimeoutPolicy.value !== view.beforeTimeoutPolicy) patch.beforeTimeoutPolicy = el.beforeTimeoutPolicy.value;
  const commands = el.allCommands.checked ? [ALL] : commandBoxes(form).filter((b) => b.checked).map((b) => b.value);
  if (!sameSet(commands, view.commands.includes(ALL) ? [ALL] : view.commands)) patch.commands = commands;
  return patch;
}

const commandBoxes = (form) => [...form.querySelectorAll('input[name="command"]')];

const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));
