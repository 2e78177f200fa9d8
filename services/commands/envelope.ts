/** Tencent's answer envelope and request ids. */
import crypto from 'node:crypto';

export interface Envelope {
  ActionStatus: 'OK' | 'FAIL';
  ErrorInfo: string;
  ErrorCode: number;
  RequestId: string;
  ErrorDisplay?: string;
  [field: string]: unknown;
}

const NODE_TAG = crypto.randomBytes(4).toString('hex');
let sequence = 0;

/** Unique per request across nodes: a random node tag and a counter, in Tencent's shape. */
export const newRequestId = () => `Id-${NODE_TAG}-O-Seq-${++sequence}`;

export function ok(requestId: string, result: object | undefined, display: boolean): Envelope {
  const envelope: Envelope = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0, RequestId: requestId };
  if (display) envelope.ErrorDisplay = '';
  return Object.assign(envelope, result);
}

export function fail(requestId: string, code: number, info: string, display = false, extra?: object): Envelope {
  const envelope: Envelope = { ActionStatus: 'FAIL', ErrorInfo: info, ErrorCode: code, RequestId: requestId };
  if (display) envelope.ErrorDisplay = info;
  return Object.assign(envelope, extra);
}
