/**
 * Webhooks ("third-party callbacks"): Tencent's catalogue of CallbackCommands, and the per-app
 * callback section of the app settings with its defaults and validation rule.
 *
 * Every command has a family that says how the backend's answer is read (services/webhooks/
 * verdict.ts). `after` callbacks are fire-and-forget for the operation and go through the
 * durable outbox; every other family gates the operation synchronously.
 */

export type CallbackFamily =
  /** C2C before-send: 0 allow (optionally replacing MsgBody / CloudCustomData), 1 → 20006, 2 drop, custom [120001, 130000]. */
  | 'c2cSend'
  /** Group (and official-account) before-send: 0 allow/replace, 1 → 10016, 2 drop, custom [10100, 10200]. */
  | 'groupSend'
  /** Group gates (create, apply, topic, official account): 0 allow, 1 → 10016, custom [10100, 10200]. */
  | 'groupGate'
  /** Before invite: like groupGate, and RefusedMembers_Account names members refused one by one. */
  | 'groupInvite'
  /** Friend add / response: one ResultItem per target, 0 allow, custom [38000, 39000]. */
  | 'snsItems'
  /** Chatbot signalling: 0 forwards RspData, anything else is ignored. */
  | 'rspData'
  | 'after';

const group = (name: string) => `Group.${name}`;
const oa = (name: string) => `OfficialAccount.${name}`;

export const CALLBACK_COMMANDS: Readonly<Record<string, CallbackFamily>> = {
  'State.StateChange': 'after',
  'Profile.CallbackPortraitSet': 'after',
  'Sns.CallbackPrevFriendAdd': 'snsItems',
  'Sns.CallbackPrevFriendResponse': 'snsItems',
  'Sns.CallbackFriendAdd': 'after',
  'Sns.CallbackFriendDelete': 'after',
  'Sns.CallbackBlackListAdd': 'after',
  'Sns.CallbackBlackListDelete': 'after',
  'C2C.CallbackBeforeSendMsg': 'c2cSend',
  'C2C.CallbackAfterSendMsg': 'after',
  'C2C.CallbackAfterMsgReport': 'after',
  'C2C.CallbackAfterMsgWithDraw': 'after',
  [group('CallbackBeforeCreateGroup')]: 'groupGate',
  [group('CallbackAfterCreateGroup')]: 'after',
  [group('CallbackBeforeApplyJoinGroup')]: 'groupGate',
  [group('CallbackBeforeInviteJoinGroup')]: 'groupInvite',
  [group('CallbackAfterNewMemberJoin')]: 'after',
  [group('CallbackAfterMemberExit')]: 'after',
  [group('CallbackBeforeSendMsg')]: 'groupSend',
  [group('CallbackAfterSendMsg')]: 'after',
  [group('CallbackAfterGroupFull')]: 'after',
  [group('CallbackAfterGroupDestroyed')]: 'after',
  [group('CallbackAfterGroupInfoChanged')]: 'after',
  [group('CallbackOnMemberStateChange')]: 'after',
  [group('CallbackSendMsgException')]: 'after',
  [group('CallbackBeforeCreateTopic')]: 'groupGate',
  [group('CallbackAfterCreateTopic')]: 'after',
  [group('CallbackAfterTopicDestroyed')]: 'after',
  [group('CallbackAfterTopicInfoChanged')]: 'after',
  [group('CallbackAfterRecallMsg')]: 'after',
  [group('CallbackAfterMemberFieldChanged')]: 'after',
  [group('CallbackAfterGroupAttrChanged')]: 'after',
  [group('CallbackAfterReadReceipt')]: 'after',
  [group('CallbackAfterChangeGroupOwner')]: 'after',
  [group('CallbackOnDailyGroupQuotaAlarm')]: 'after',
  'Bot.OnC2CMessage': 'after',
  'Bot.OnGroupMessage': 'after',
  'Chatbot.OnC2CSignalMessage': 'rspData',
  'ContentCallback.ResultNotify': 'after',
  'Alert.RequestOverLimit': 'after',
  'Push.OfflinePush': 'after',
  'Push.AllMemberPush': 'after',
  // Tencent documents no answer codes for official accounts: read like their group twins.
  [oa('CallbackBeforeCreateOfficialAccount')]: 'groupGate',
  [oa('CallbackAfterCreateOfficialAccount')]: 'after',
  [oa('CallbackAfterOfficialAccountInfoChanged')]: 'after',
  [oa('CallbackAfterOfficialAccountDestroyed')]: 'after',
  [oa('CallbackBeforeAddSubscriber')]: 'groupGate',
  [oa('CallbackAfterAddSubscriber')]: 'after',
  [oa('CallbackAfterOfficialAccountFull')]: 'after',
  [oa('CallbackAfterDeleteSubscriber')]: 'after',
  [oa('CallbackBeforeSendMsg')]: 'groupSend',
  [oa('CallbackAfterSendMsg')]: 'after',
  [oa('CallbackAfterMsgWithDraw')]: 'after',
};

export const familyOf = (command: string): CallbackFamily | undefined => CALLBACK_COMMANDS[command];

/** Per-app webhook settings (console: "Callback configuration"). */
export interface CallbackSettings {
  /** http(s) URL of the app backend; '' = webhooks off. Default ''. */
  url: string;
  /** Signing token: with one, requests carry RequestTime and Sign = hex(sha256(token + RequestTime)). Default '' (unsigned). */
  token: string;
  /** Enabled CallbackCommands; ['*'] = all of them. Default ['*'] (a URL alone enables everything). */
  commands: string[];
  /** Per-request timeout in ms. Tencent's fixed 2 s is the default. */
  timeoutMs: number;
  /** What a before-callback that times out or fails does to the operation. Tencent's default: allow. */
  beforeTimeoutPolicy: 'allow' | 'reject';
  /** First retry delay of an after-callback in ms, doubled per failure. Default 1000. */
  retryBaseMs: number;
  /** Longest delay between two retries in ms. Default 60000. */
  retryMaxMs: number;
  /** An after-callback still undelivered this long after it was queued is given up (logged). Default 86400000 (24 h). */
  retryMaxAgeMs: number;
}

export const DEFAULT_CALLBACK: CallbackSettings = {
  url: '',
  token: '',
  commands: ['*'],
  timeoutMs: 2000,
  beforeTimeoutPolicy: 'allow',
  retryBaseMs: 1000,
  retryMaxMs: 60_000,
  retryMaxAgeMs: 86_400_000,
};

/** fastest-validator rule of the `callback` settings section. */
export const CALLBACK_RULE = {
  type: 'object',
  strict: true,
  props: {
    url: { type: 'string', max: 1024, pattern: /^(|https?:\/\/[^\s]+)$/, messages: { stringPattern: "callback.url must be '' or an http(s) URL" } },
    token: { type: 'string', max: 256 },
    commands: { type: 'array', max: 100, items: { type: 'enum', values: ['*', ...Object.keys(CALLBACK_COMMANDS)] } },
    timeoutMs: { type: 'number', integer: true, min: 100, max: 30_000 },
    beforeTimeoutPolicy: { type: 'enum', values: ['allow', 'reject'] },
    retryBaseMs: { type: 'number', integer: true, min: 10, max: 600_000 },
    retryMaxMs: { type: 'number', integer: true, min: 10, max: 3_600_000 },
    retryMaxAgeMs: { type: 'number', integer: true, min: 1000, max: 7 * 86_400_000 },
  },
} as const;

/** The callback section of an app's settings, defaults filled in for apps stored before it existed. */
export function callbackSettings(settings: { callback?: Partial<CallbackSettings> }): CallbackSettings {
  const stored = settings.callback;
  return stored ? { ...DEFAULT_CALLBACK, ...stored } : DEFAULT_CALLBACK;
}

/** Whether `command` is switched on for an app with these settings. */
export function callbackEnabled(settings: CallbackSettings, command: string): boolean {
  return settings.url !== '' && (settings.commands.includes('*') || settings.commands.includes(command));
}
