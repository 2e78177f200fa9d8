// Small DOM helpers shared by the console's pages. Text only ever goes in through
// textContent (the page requires Trusted Types, so no HTML string reaches the DOM).

export const $ = (id) => document.getElementById(id);

/** An element with attributes (`on…` functions become listeners) and children (strings become text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  return node;
}

/** A table with a header row and one row per item. */
export const table = (headers, rows) => el('table', {}, el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))), el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c))))));

export function say(element, text, kind) {
  element.textContent = text;
  element.dataset.kind = kind;
  element.hidden = text === '';
}

export const describe = (err) => (err && err.code ? `${err.message} (ErrorCode ${err.code})` : (err?.message ?? String(err)));

/** Unix seconds as local date and time; '' for 0. */
export const when = (seconds) => (seconds ? new Date(seconds * 1000).toLocaleString() : '');
