/**
 * OfflinePushInfo of one-to-one and group sends, bounded as a push must be to be deliverable.
 * Stored with the message and carried in its events, so an unbounded one (1 MB was accepted)
 * bloated the log and, in a cluster, broke on NATS' payload limit as an internal error.
 *
 * Limits (bytes of UTF-8): the whole object serialised at most 4 KB, the payload limit of APNs
 * and of the Android vendor channels (nothing larger can become one push); Desc + Ext at most
 * 3 KB, the seed's advice that leaves room in an APNs packet for the rest. Fields the SDK and
 * Tencent add over time (ApnsInfo.InterruptionLevel, AndroidInfo.HonorImage…) pass through,
 * counted in the 4 KB.
 */

export const OFFLINE_PUSH_LIMITS = { totalBytes: 4096, descAndExtBytes: 3072 } as const;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What is wrong with an OfflinePushInfo, or undefined when it may be stored. */
export function offlinePushProblem(info: Record<string, unknown>): string | undefined {
  const { PushFlag, Title, Desc, Ext, AndroidInfo, ApnsInfo } = info;
  if (PushFlag !== undefined && PushFlag !== 0 && PushFlag !== 1) return 'PushFlag must be 0 or 1';
  for (const [name, value] of [['Title', Title], ['Desc', Desc], ['Ext', Ext]] as const) {
    if (value !== undefined && typeof value !== 'string') return `${name} must be a string`;
  }
  if (AndroidInfo !== undefined && !isObject(AndroidInfo)) return 'AndroidInfo must be an object';
  if (ApnsInfo !== undefined && !isObject(ApnsInfo)) return 'ApnsInfo must be an object';
  const descAndExt = bytes((Desc as string | undefined) ?? '') + bytes((Ext as string | undefined) ?? '');
  if (descAndExt > OFFLINE_PUSH_LIMITS.descAndExtBytes) return `Desc and Ext together must stay within ${OFFLINE_PUSH_LIMITS.descAndExtBytes} bytes`;
  const total = bytes(JSON.stringify(info));
  if (total > OFFLINE_PUSH_LIMITS.totalBytes) return `must stay within ${OFFLINE_PUSH_LIMITS.totalBytes} bytes as JSON (got ${total})`;
  return undefined;
}

/**
 * The fastest-validator rule of an optional OfflinePushInfo: a failure is a validation error,
 * answered with the command's invalid-parameter code like any other bad field. The checker
 * speaks both of fastest-validator's custom conventions, `(value, schema, …) → true | errors`
 * (Moleculer's default) and `(value, errors, …) → value` (useNewCustomCheckerFunction), so
 * switching that option cannot silently turn the check off.
 */
export const offlinePushRule = {
  type: 'object',
  optional: true,
  custom(value: unknown, second: unknown): unknown {
    // Runs even for an absent field or a non-object, which `optional` and `type` already judge.
    const problem = isObject(value) ? offlinePushProblem(value) : undefined;
    const errors = problem === undefined ? [] : [{ type: 'offlinePushInfo', message: `OfflinePushInfo: ${problem}`, actual: undefined }];
    if (Array.isArray(second)) {
      second.push(...errors);
      return value;
    }
    return errors.length > 0 ? errors : true;
  },
};
