/**
 * How a before-callback's answer gates the operation, per CallbackCommand family
 * (actors/apps/settings/callbacks.ts). Pure: the answer comes in as text, the verdict goes out typed.
 *
 * Decisions where Tencent documents nothing (docs/webhooks.md has the table):
 * - an answer that is not HTTP 200, not JSON, not an object, or whose ErrorCode is not an
 *   integer counts as a failed request, like a timeout: the app's beforeTimeoutPolicy applies
 *   (Tencent's default: let the operation proceed);
 * - a non-zero ErrorCode outside the documented values and the app's custom range still
 *   means "no": the operation is refused with the family's generic code (20006 / 10016 /
 *   38000), never with a code the client could mistake for another of Tencent's errors;
 * - a malformed replacement (MsgBody not a list of elements, CloudCustomData not a string)
 *   is ignored and the original is sent.
 */
import type { CallbackFamily } from '../../actors/apps/settings/callbacks';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../commands/json-depth';

export interface Replacement {
  MsgBody?: { MsgType: string; MsgContent: Record<string, unknown> }[];
  CloudCustomData?: string;
}

export interface ItemResult {
  To_Account: string;
  ResultCode: number;
  ResultInfo: string;
}

/** How the verdict was reached: webhooks off, suppressed by ForbidCallbackControl, the backend's answer, or a failure. */
export type Via = 'off' | 'forbidden' | 'backend' | 'timeout' | 'unreachable' | 'bad-answer';

export type Verdict = (
  | { verdict: 'allow'; via: Via; replace?: Replacement; refused?: string[]; results?: ItemResult[]; rspData?: string }
  | { verdict: 'reject'; via: Via; code: number; info: string }
  | { verdict: 'drop'; via: Via }
) & {
  /** Set when the answer was odd but usable (an out-of-range code): logged by the caller. */
  note?: string;
};

/** The answer was unusable; `problem` is for the log. */
export interface BadAnswer {
  bad: string;
}

interface Codes {
  /** What the caller gets for ErrorCode 1 and for out-of-range codes. */
  generic: number;
  custom: [number, number];
  /** Whether ErrorCode 2 drops silently. */
  drop: boolean;
}

const C2C: Codes = { generic: 20006, custom: [120001, 130000], drop: true };
const GROUP_SEND: Codes = { generic: 10016, custom: [10100, 10200], drop: true };
const GROUP: Codes = { generic: 10016, custom: [10100, 10200], drop: false };
/** Friend webhooks: custom codes [38000, 39000]; 38000 doubles as the generic refusal. */
const SNS: Codes = { generic: 38000, custom: [38000, 39000], drop: false };

export const genericRejectCode = (family: CallbackFamily): number =>
  family === 'c2cSend' ? C2C.generic : family === 'snsItems' ? SNS.generic : GROUP.generic;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function interpret(family: CallbackFamily, status: number, text: string): Verdict | BadAnswer {
  if (status !== 200) return { bad: `HTTP ${status}` };
  // The app's answer is input like any request (services/commands/json-depth.ts).
  if (nestedDeeperThan(Buffer.from(text, 'utf8'))) return { bad: `answer nests deeper than ${MAX_JSON_DEPTH} levels` };
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return { bad: 'answer is not JSON' };
  }
  if (!isObject(answer)) return { bad: 'answer is not a JSON object' };
  if (family === 'snsItems') return snsItems(answer);
  const code = answer.ErrorCode;
  if (!isInt(code)) return { bad: `ErrorCode is ${JSON.stringify(code)}, not an integer` };
  switch (family) {
    case 'c2cSend':
      return code === 0 ? { verdict: 'allow', via: 'backend', ...replacement(answer) } : refusal(C2C, code, answer);
    case 'groupSend':
      return code === 0 ? { verdict: 'allow', via: 'backend', ...replacement(answer) } : refusal(GROUP_SEND, code, answer);
    case 'groupGate':
      return code === 0 ? { verdict: 'allow', via: 'backend' } : refusal(GROUP, code, answer);
    case 'groupInvite':
      return code === 0 ? { verdict: 'allow', via: 'backend', ...refusedMembers(answer) } : refusal(GROUP, code, answer);
    case 'rspData':
      return code === 0 && typeof answer.RspData === 'string' ? { verdict: 'allow', via: 'backend', rspData: answer.RspData } : { verdict: 'allow', via: 'backend' };
    case 'after':
      return { verdict: 'allow', via: 'backend' };
  }
}

function refusal(codes: Codes, code: number, answer: Record<string, unknown>): Verdict {
  const info = typeof answer.ErrorInfo === 'string' ? answer.ErrorInfo : '';
  if (code === 2 && codes.drop) return { verdict: 'drop', via: 'backend' };
  if (code >= codes.custom[0] && code <= codes.custom[1]) return { verdict: 'reject', via: 'backend', code, info };
  const note = code === 1 ? undefined : `ErrorCode ${code} is out of range; refused with ${codes.generic}`;
  return { verdict: 'reject', via: 'backend', code: codes.generic, info: info || 'refused by the app backend', ...(note && { note }) };
}

function replacement(answer: Record<string, unknown>): { replace?: Replacement } {
  const replace: Replacement = {};
  const body = answer.MsgBody;
  if (Array.isArray(body) && body.length > 0 && body.every((e) => isObject(e) && typeof e.MsgType === 'string' && isObject(e.MsgContent))) {
    replace.MsgBody = body as Replacement['MsgBody'];
  }
  if (typeof answer.CloudCustomData === 'string') replace.CloudCustomData = answer.CloudCustomData;
  return replace.MsgBody || replace.CloudCustomData !== undefined ? { replace } : {};
}

function refusedMembers(answer: Record<string, unknown>): { refused?: string[] } {
  const list = answer.RefusedMembers_Account;
  return Array.isArray(list) && list.length > 0 ? { refused: list.filter((m): m is string => typeof m === 'string') } : {};
}

/** The envelope's ErrorCode is ignored (Tencent's default); each ResultItem decides for its target. */
function snsItems(answer: Record<string, unknown>): Verdict | BadAnswer {
  const items = answer.ResultItem;
  if (items === undefined) return { verdict: 'allow', via: 'backend', results: [] };
  if (!Array.isArray(items)) return { bad: 'ResultItem is not a list' };
  const results: ItemResult[] = [];
  let note: string | undefined;
  for (const item of items) {
    if (!isObject(item) || typeof item.To_Account !== 'string' || !isInt(item.ResultCode)) return { bad: 'ResultItem entry without To_Account and an integer ResultCode' };
    const code = item.ResultCode;
    const info = typeof item.ResultInfo === 'string' ? item.ResultInfo : '';
    const inRange = code >= SNS.custom[0] && code <= SNS.custom[1];
    if (code !== 0 && !inRange) note = `ResultCode ${code} is out of range; refused with ${SNS.generic}`;
    results.push({ To_Account: item.To_Account, ResultCode: code === 0 || inRange ? code : SNS.generic, ResultInfo: info });
  }
  return { verdict: 'allow', via: 'backend', results, ...(note && { note }) };
}

/** The verdict when the request failed (timeout, unreachable, bad answer). */
export function onFailure(family: CallbackFamily, policy: 'allow' | 'reject', via: Via): Verdict {
  if (policy === 'allow') return { verdict: 'allow', via };
  return { verdict: 'reject', via, code: genericRejectCode(family), info: 'the app backend did not answer in time' };
}
