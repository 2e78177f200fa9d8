/**
 * How other contexts use the webhooks: ask a before-callback (callBefore), write
 * after-callbacks with their own events (afterFeeds) or on their own (queueAfter, callAfter),
 * report a state change, and whether an app wants a callback at all.
 */
export { afterFeeds, callAfter, queueAfter, type AfterParams, type AfterResult } from './after';
export { callBefore, type BeforeParams } from './before';
export { callbackFilter, wantsCallback } from './settings';
export { reportStateChange } from './state-change';
export type { Verdict } from './verdict';
