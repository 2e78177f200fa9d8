// The console's calls to /console/api/… and the administrator's credentials.
//
// Credentials live in this module's memory; only when the administrator asks are they also
// kept in sessionStorage, which is this tab's alone and is cleared when the tab closes.
// They are sent in the Authorization header, never in a URL.

const STORAGE_KEY = 'parley.console.credentials';

/** @type {{ sdkappid: string, identifier: string, usersig: string } | null} */
let credentials = null;

// Visible ASCII but the comma, which separates the header's fields. Real credentials are
// digits, letters and Tencent's base64 (with *, - and _).
const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/;
const LABELS = { sdkappid: 'SDKAppID', identifier: 'administrator', usersig: 'UserSig' };

/** Keeps the credentials for the calls below; throws if one could not travel in a header. */
export function signIn(creds, remember) {
  for (const [field, label] of Object.entries(LABELS)) {
    const value = creds[field];
    if (typeof value !== 'string' || !PRINTABLE.test(value)) throw new ApiError(0, `The ${label} is empty or holds characters a header cannot carry.`, 0);
  }
  credentials = { sdkappid: creds.sdkappid, identifier: creds.identifier, usersig: creds.usersig };
  if (remember) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
  else sessionStorage.removeItem(STORAGE_KEY);
}

export function signOut() {
  credentials = null;
  sessionStorage.removeItem(STORAGE_KEY);
}

export const signedInAs = () => credentials && { sdkappid: credentials.sdkappid, identifier: credentials.identifier };

/** Credentials this tab kept from an earlier sign-in, if any. */
export function restore() {
  try {
    const kept = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    if (kept && typeof kept.sdkappid === 'string' && typeof kept.identifier === 'string' && typeof kept.usersig === 'string') {
      credentials = kept;
      return true;
    }
  } catch {
    // unreadable: sign in again
  }
  sessionStorage.removeItem(STORAGE_KEY);
  return false;
}

/** A failed call: the server's ErrorCode and ErrorInfo, and whether signing in again may help. */
export class ApiError extends Error {
  constructor(code, info, status) {
    super(info);
    this.code = code;
    this.status = status;
    this.signInAgain = status === 401 || status === 403;
  }
}

async function call(method, body) {
  if (!credentials) throw new ApiError(0, 'not signed in', 401);
  const { sdkappid, identifier, usersig } = credentials;
  const headers = { Authorization: `UserSig sdkappid=${sdkappid}, identifier=${identifier}, usersig=${usersig}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch('api/callback', { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'the server cannot be reached', 0);
  }
  let answer;
  try {
    answer = await res.json();
  } catch {
    throw new ApiError(0, `the server answered HTTP ${res.status} without JSON`, res.status);
  }
  if (answer.ActionStatus !== 'OK') throw new ApiError(answer.ErrorCode, answer.ErrorInfo, res.status);
  return answer;
}

/** { SdkAppId, Callback, Commands } of the signed-in app. */
export const readCallback = () => call('GET');

/** Writes the fields of `patch` only; answers like readCallback, with the stored result. */
export const writeCallback = (patch) => call('PATCH', patch);
