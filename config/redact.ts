/**
 * Connection URLs as logs and error messages may show them: credentials replaced by `***`
 * (postgres://user:***@host, redis://:***@host, nats://user:***@host). Every message that
 * names PARLEY_DB, PARLEY_REDIS or PARLEY_TRANSPORTER goes through here, so start-up errors,
 * which operators paste into tickets and chats, never carry a password.
 */

const MASK = '***';
/** A URL inside free text: scheme, `://`, then anything up to white space or a quote. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi;
/** Query parameters that carry secrets (libpq's `password`, NATS' `token`…). */
const SECRET_PARAM = /([?&](?:password|pass|pwd|token|secret|auth)=)[^&#]*/gi;
/**
 * Schemes where a user name alone is just a name (a PostgreSQL role); elsewhere a lone
 * user-info part is a secret: NATS token auth is `nats://<token>@host`, and some Redis clients
 * read `redis://<password>@host`.
 */
const NAME_ONLY_SCHEMES = new Set(['postgres', 'postgresql']);

/** The URL with its password (or secret user-info) and secret query parameters masked. */
export function maskUrl(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (!scheme) return url;
  const start = scheme[0].length;
  const queryAt = url.slice(start).search(/[?#]/);
  const authorityAndPath = queryAt === -1 ? url.slice(start) : url.slice(start, start + queryAt);
  const rest = queryAt === -1 ? '' : url.slice(start + queryAt);
  // The last '@' before the query ends the user-info: an unencoded '@' or '/' in a password
  // then stays on the masked side.
  const at = authorityAndPath.lastIndexOf('@');
  let masked = authorityAndPath;
  if (at !== -1) {
    const userInfo = authorityAndPath.slice(0, at);
    const colon = userInfo.indexOf(':');
    const user = colon === -1 ? userInfo : userInfo.slice(0, colon);
    const keepUser = colon !== -1 || NAME_ONLY_SCHEMES.has(scheme[1].toLowerCase());
    const shown = colon === -1 ? (keepUser ? user : MASK) : `${user}:${MASK}`;
    masked = `${shown}${authorityAndPath.slice(at)}`;
  }
  return `${scheme[0]}${masked}${rest.replace(SECRET_PARAM, `$1${MASK}`)}`;
}

/** Every URL in a text (a driver's error message, say) masked with maskUrl. */
export function maskUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => maskUrl(url));
}
