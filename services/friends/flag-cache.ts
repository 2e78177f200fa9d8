/**
 * The node's cache of relation flags a one-to-one send checks (the recipient's blocklist and
 * friend edges toward the sender): without it every message asked the recipient's relations
 * actor, in a cluster a NATS request and its response on another node for 2 of 3 messages
 * (0.6 of the 2.5 requests a one-to-one message cost).
 *
 * Kept current by `relations.changed`, which the relations host broadcasts after every commit of
 * a user's chain: every node forgets that user. A read that was in flight when any user's chain
 * changed is not stored (it may predate the change; the next send asks again), and an entry is
 * trusted for a minute at most in case a broadcast was lost with a node's connection.
 */
const TTL_MS = 60_000;
/** Peers remembered in all; the whole cache is dropped when full. */
const MAX_ENTRIES = 200_000;

interface Entry {
  flags: number;
  at: number;
}

export class RelationFlagCache {
  private readonly users = new Map<string, Map<string, Entry>>();
  private size = 0;
  /** Bumped by every forget: a read stores its answer only if nothing changed while it ran. */
  private changes = 0;

  async flags(app: number, user: string, peer: string, read: () => Promise<number>, now = Date.now): Promise<number> {
    const key = `${app}:${user}`;
    const entry = this.users.get(key)?.get(peer);
    if (entry && now() - entry.at < TTL_MS) return entry.flags;
    const before = this.changes;
    const flags = await read();
    if (this.changes === before) this.store(key, peer, { flags, at: now() });
    return flags;
  }

  forget(app: number, user: string): void {
    this.changes++;
    const key = `${app}:${user}`;
    this.size -= this.users.get(key)?.size ?? 0;
    this.users.delete(key);
  }

  private store(key: string, peer: string, entry: Entry): void {
    if (this.size >= MAX_ENTRIES) {
      this.users.clear();
      this.size = 0;
    }
    let peers = this.users.get(key);
    if (!peers) this.users.set(key, (peers = new Map()));
    if (!peers.has(peer)) this.size++;
    peers.set(peer, entry);
  }
}
