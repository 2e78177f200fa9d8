/** Events of a user's sync feed (schemas/inbox/*.avsc), written by conversations and by the user. */
export const INBOX_MESSAGE_REF = 'parley.inbox.MessageRef';
export const INBOX_PEER_READ = 'parley.inbox.PeerRead';
export const INBOX_CONTACT_DELETED = 'parley.inbox.ContactDeleted';

export interface MessageRefData {
  peer: string;
  from: string;
  seq: number;
  version: number;
  time: number;
  msgKey: string;
  noUnread: boolean;
  noLastMsg: boolean;
}

export type InboxEvent =
  | { type: typeof INBOX_MESSAGE_REF; data: MessageRefData }
  | { type: typeof INBOX_PEER_READ; data: { peer: string; reader: string; seq: number; at: number; time?: number } }
  | { type: typeof INBOX_CONTACT_DELETED; data: { peer: string; at: number } };

/** The feed of `user`: its version is the user's one-to-one sync cookie. */
export const inboxStream = (app: number, user: string) => `inbox:${app}:${user}`;
