/** Events of a one-to-one conversation (schemas/c2c/*.avsc) and of users' sync feeds (schemas/inbox). */
export const MESSAGE_SENT = 'parley.c2c.MessageSent';
export const MESSAGE_RECALLED = 'parley.c2c.MessageRecalled';
export const MESSAGE_MODIFIED = 'parley.c2c.MessageModified';
export const CONVERSATION_READ = 'parley.c2c.ConversationRead';
export const HISTORY_DELETED = 'parley.c2c.HistoryDeleted';
export const MESSAGES_DELETED = 'parley.c2c.MessagesDeleted';
export const MESSAGES_RECEIPTED = 'parley.c2c.MessagesReceipted';

export interface MessageSentData {
  seq: number;
  from: string;
  to: string;
  clientSeq: number;
  random: number;
  time: number;
  clientTime: number;
  body: string;
  cloudCustomData: string;
  offlinePush: string | null;
  needReadReceipt: boolean;
  syncToSender: boolean;
  fromNick: string;
  fromFace: string;
  byAdmin: boolean;
  contentHash: number;
  forbidCallbacks: string[];
  platform: string;
  /** The sender connection's IP address (callbacks' ClientIP); '' when unknown. */
  clientIp: string;
  /** SendMsgControl NoUnread: the recipient's unread count does not grow. */
  noUnread: boolean;
  /** SendMsgControl NoLastMsg: recent contacts keep their last message. */
  noLastMsg: boolean;
  /** MsgLifeTime in seconds: offline delivery by sync ends after it; 0 = no limit but roaming. */
  lifeTimeSec: number;
  /** SupportMessageExtension: the message takes key-value extensions (absent in older events). */
  supportExtension?: boolean;
}

export type C2CEvent =
  | { type: typeof MESSAGE_SENT; data: MessageSentData }
  /** from: the message's sender ('' in events stored before it was kept). */
  | { type: typeof MESSAGE_RECALLED; data: { seq: number; msgKey: string; by: string; at: number; from: string } }
  | { type: typeof MESSAGE_MODIFIED; data: { seq: number; msgKey: string; body: string | null; cloudCustomData: string | null; at: number } }
  | { type: typeof CONVERSATION_READ; data: { reader: string; seq: number; at: number } }
  | { type: typeof HISTORY_DELETED; data: { user: string; upToSeq: number; at: number } }
  /** seqs: of the messages msgKeys names, in the same order (empty in events stored before it was kept). */
  | { type: typeof MESSAGES_DELETED; data: { user: string; msgKeys: string[]; seqs: number[]; at: number } }
  /** Per-message read receipts: reader has read these messages of the peer (seqs in the same order). */
  | { type: typeof MESSAGES_RECEIPTED; data: { reader: string; msgKeys: string[]; seqs: number[]; at: number } };

export const msgKeyOf = (m: Pick<MessageSentData, 'clientSeq' | 'random' | 'time'>) => `${m.clientSeq}_${m.random}_${m.time}`;
