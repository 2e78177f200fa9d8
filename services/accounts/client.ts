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

/** The service hosting the user actor kind. */
export const ACCOUNTS_SERVICE = 'accounts';

/** Bounds the cache: cleared whole when full, which costs one actor call per account after. */
const MAX_KNOWN = 100_000;

export class AccountsClient {
  private readonly known = new Set<string>();

  constructor(private readonly broker: ServiceBroker) {}

  /** Runs a command on the account's user actor (`via`: the request's origin, for its after-callbacks). */
  async call(app: number, id: string, command: UserCommand & { via?: Via }, ctx?: unknown): Promise<UserReply> {
    const reply = await routerOf(this.broker).call<UserReply>(ACCOUNTS_SERVICE, userKey(app, id), command, { parentCtx: ctx });
    if (reply.imported) this.remember(app, id);
    return reply;
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
