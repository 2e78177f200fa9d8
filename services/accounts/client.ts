/**
 * How other contexts reach an account (the user actor, hosted by the accounts service): one
 * client per node, with the node's one cache of accounts known to be imported. Existence is
 * asked on every send and group change, and an import is rarely undone, so a positive answer
 * is kept; the accounts service forgets it on every node when the account is deleted
 * (`user.deleted`, broadcast after the append). Negative answers are never kept: an account
 * imported a moment later must be found at once.
 */
import type { ServiceBroker } from 'moleculer';
import { userKey, type UserCommand, type UserReply } from '../../actors/user';
import { routerOf } from '../../runtime/moleculer/router';
import type { Via } from '../commands/commands';
import { MuteCache, type Mutes } from './mute-cache';

export { isMuted, type Mutes } from './mute-cache';

/** The service hosting the user actor kind. */
export const ACCOUNTS_SERVICE = 'accounts';

/** Bounds the cache: cleared whole when full, which costs one actor call per account after. */
const MAX_KNOWN = 100_000;

export class AccountsClient {
  private readonly known = new Set<string>();
  /** Global mutes of senders (mute-cache.ts). */
  private readonly mutes = new MuteCache();

  constructor(private readonly broker: ServiceBroker) {}

  /** Runs a command on the account's user actor (`via`: the request's origin, for its after-callbacks). */
  async call(app: number, id: string, command: UserCommand & { via?: Via }, ctx?: unknown): Promise<UserReply> {
    const changes = this.mutes.changes;
    const reply = await routerOf(this.broker).call<UserReply>(ACCOUNTS_SERVICE, userKey(app, id), command, { parentCtx: ctx });
    if (reply.imported) this.remember(app, id);
    if (reply.mutedUntil) this.mutes.offer(keyOf(app, id), reply.mutedUntil, changes);
    return reply;
  }

  /** The account's global mutes (openconfigsvr/setnospeaking), from this node's cache where it knows. */
  async mutedUntil(app: number, id: string, ctx?: unknown): Promise<Mutes> {
    return this.mutes.get(keyOf(app, id)) ?? (await this.get(app, id, ctx)).mutedUntil ?? { c2c: 0, group: 0 };
  }

  /** Called by the accounts service on every node when an account's mutes change. */
  forgetMutes(app: number, id: string): void {
    this.mutes.forget(keyOf(app, id));
  }

  /** Profile basics, kick instant and existence of an account. */
  get(app: number, id: string, ctx?: unknown): Promise<UserReply> {
    return this.call(app, id, { op: 'get' }, ctx);
  }

  /** The accounts among `ids` that are imported, from the cache where it knows. */
  async importedAmong(app: number, ids: readonly string[], ctx?: unknown): Promise<Set<string>> {
    const ok = new Set<string>();
    await Promise.all(
      [...new Set(ids)].map(async (id) => {
        if (this.known.has(keyOf(app, id)) || (await this.get(app, id, ctx)).imported) ok.add(id);
      }),
    );
    return ok;
  }

  /** Called by the accounts service on every node when an account is deleted. */
  forget(app: number, id: string): void {
    this.known.delete(keyOf(app, id));
  }

  private remember(app: number, id: string): void {
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    this.known.add(keyOf(app, id));
  }
}

const keyOf = (app: number, id: string) => `${app}:${id}`;

const clients = new WeakMap<ServiceBroker, AccountsClient>();

/** The node's accounts client, created on first use. */
export function accountsOf(broker: ServiceBroker): AccountsClient {
  let client = clients.get(broker);
  if (!client) clients.set(broker, (client = new AccountsClient(broker)));
  return client;
}

/** Params of accounts.searchNick (nick-directory.ts): a nick prefix, a page size, where to resume. */
export interface NickSearchParams {
  app: number;
  query: string;
  limit: number;
  before?: number;
}

/** A query is 1–100 characters; a page 1–100 accounts. The console refuses anything else first. */
export const NICK_SEARCH_PARAMS = {
  $$strict: true,
  app: { type: 'number', integer: true, positive: true },
  query: { type: 'string', min: 1, max: 100 },
  limit: { type: 'number', integer: true, min: 1, max: 100 },
  before: { type: 'number', integer: true, positive: true, optional: true },
} as const;

/** Accounts whose current nick starts with `query` (case and width ignored), a page at a time. */
export function searchNick(broker: ServiceBroker, params: NickSearchParams): Promise<{ accounts: { UserID: string; Nick: string }[]; next?: number }> {
  return broker.call(`${ACCOUNTS_SERVICE}.searchNick`, params);
}
