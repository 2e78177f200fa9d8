/**
 * The Tencent command table: which Moleculer action serves `service/command`. Each context
 * declares its commands on its own actions (`tencent: { command: … }`); REST and the SDK
 * WebSocket both look commands up here, so a frame `openim.sendmsg` and a POST to
 * `/v4/openim/sendmsg` reach the same action.
 */
import type { ServiceBroker } from 'moleculer';

export type RateClass = 'default' | 'account';

/** What an action declares to be served as a Tencent command. */
export interface TencentCommand {
  /** `service/command`, e.g. `im_open_login_svc/account_import`. */
  command: string;
  /** Older names of the same command (`openim/querystate`). */
  aliases?: string[];
  /** Old field names accepted and renamed before validation (`Identifier` → `UserID`). */
  renames?: Record<string, string>;
  /** Which per-app rate limit applies. Default `default`. */
  rate?: RateClass;
  /** Code for a body that fails validation. */
  invalidCode: number;
  /** Code for an unexpected failure. */
  internalCode: number;
  /** Whether answers carry ErrorDisplay (sns, profile, recentcontact do at Tencent). */
  display?: boolean;
  /** Callable by logged-in SDK users over the WebSocket, not only by REST administrators. */
  user?: boolean;
  /** One-line summary for the OpenAPI document. */
  summary: string;
}

export interface CommandEntry extends TencentCommand {
  action: string;
}

/** Who calls: an app administrator over REST, or a logged-in user over the WebSocket. */
export interface Caller {
  kind: 'admin' | 'user';
  id: string;
  /** The SDK instance (device) a user calls from; its own sends are not pushed back to it. */
  instId?: string;
  /** The caller's IP address as this server saw it (callbacks' ClientIP). */
  ip?: string;
}

/** OptPlatform of a callback: REST for administrators, the web SDK for logged-in users. */
export const platformOf = (caller: Caller) => (caller.kind === 'admin' ? 'RESTAPI' : 'Web');

/**
 * Where a request came from, as its callbacks report it (OptPlatform, ClientIP). Actor commands
 * carry it as `via` for the after-callbacks their hosts write; decide never reads it.
 */
export interface Via {
  platform: string;
  clientIp: string;
}

export const viaOf = (caller: Caller): Via => ({ platform: platformOf(caller), clientIp: caller.ip ?? '' });

/** The `platform` and `clientIp` of an after-callback's parameters, from a request's `via` (if known). */
export const viaParams = (via: Via | undefined) => ({ platform: via?.platform, clientIp: via?.clientIp });

/** An address as callbacks show it: IPv4 without the IPv6-mapped prefix, '' when unknown. */
export function clientIpOf(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** The params every Tencent-command action receives. */
export interface CommandParams<B> {
  app: number;
  caller: Caller;
  body: B;
}

/** Action params schema common to every command; `body` is the command's own. */
export function commandParams(body: Record<string, unknown>) {
  return {
    $$strict: 'remove' as const,
    app: { type: 'number', integer: true, positive: true },
    caller: { type: 'object', props: { kind: { type: 'enum', values: ['admin', 'user'] }, id: 'string', instId: { type: 'string', optional: true }, ip: { type: 'string', max: 64, optional: true } } },
    body: { type: 'object', strict: 'remove', props: body },
  };
}

interface ActionInfo {
  name: string;
  action?: { name: string; tencent?: TencentCommand; params?: unknown };
}

export class CommandTable {
  private entries = new Map<string, CommandEntry>();
  private stale = true;

  constructor(private readonly broker: ServiceBroker) {
    broker.localBus.on('$services.changed', () => (this.stale = true));
  }

  /** `service/command` → entry; undefined for a command no service serves. */
  get(command: string): CommandEntry | undefined {
    if (this.stale) this.rebuild();
    return this.entries.get(command);
  }

  /** Every served command under its current name (OpenAPI, tests). */
  list(): CommandEntry[] {
    if (this.stale) this.rebuild();
    return [...new Set(this.entries.values())];
  }

  /** Action params schemas by action name, for the OpenAPI document. */
  paramsOf(action: string): unknown {
    const info = (this.broker.registry.getActionList({ skipInternal: true, withEndpoints: false }) as unknown as ActionInfo[]).find(
      (a) => a.name === action,
    );
    return info?.action?.params;
  }

  private rebuild(): void {
    const entries = new Map<string, CommandEntry>();
    const actions = this.broker.registry.getActionList({ skipInternal: true, onlyAvailable: true, withEndpoints: false }) as unknown as ActionInfo[];
    for (const info of actions) {
      const tencent = info.action?.tencent;
      if (!tencent) continue;
      const entry = { ...tencent, action: info.name };
      for (const name of [tencent.command, ...(tencent.aliases ?? [])]) entries.set(name, entry);
    }
    this.entries = entries;
    this.stale = false;
  }
}

const tables = new WeakMap<ServiceBroker, CommandTable>();

export function commandTable(broker: ServiceBroker): CommandTable {
  let table = tables.get(broker);
  if (!table) tables.set(broker, (table = new CommandTable(broker)));
  return table;
}
