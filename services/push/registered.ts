/**
 * Which users have ever registered a push device, so that the send path writes no push job for
 * a recipient who could never be pushed. With push configured, a job per message cost an
 * embedded node ~40% of its one-to-one rate even when no recipient had a token (bench/push.ts
 * --tokens 0: the job's feed rows in the commit, the queue actor's catch-up and snapshots, the
 * deliverer's round and registration lookup, all to find nothing to do).
 *
 * Exact only in one process (embedded mode, no transporter): the registrations are read once
 * from the log (DeviceRegistered events), and every later registration is added by the
 * pushdevices service in the same process before it answers. Until that read is done, and
 * always in a cluster (where a registration on another node would be seen late), every
 * recipient counts as registered: the deliverer's own lookup decides, as before. A user whose
 * tokens were all removed stays in the set (a job too many, never one too few).
 */
import type { ServiceBroker } from 'moleculer';
import { DEVICE_REGISTERED, pushregKind } from '../../actors/pushreg';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';

const PAGE = 5000;

class Registered {
  private readonly users = new Set<string>();
  private ready = false;
  private loading = false;

  constructor(private readonly broker: ServiceBroker) {}

  /** False only when `user` certainly has no push device. */
  mayHave(app: number, user: string): boolean {
    if (this.broker.transit) return true;
    if (!this.ready) {
      this.load();
      return true;
    }
    return this.users.has(`${app}:${user}`);
  }

  add(app: number, user: string): void {
    this.users.add(`${app}:${user}`);
  }

  private load(): void {
    if (this.loading) return;
    this.loading = true;
    void (async () => {
      const store = runtimeOf(this.broker).store;
      const prefix = `${pushregKind.name}:`;
      let afterPosition = 0;
      for (;;) {
        const page = await store.readByTime({ from: 0, to: Number.MAX_SAFE_INTEGER, streamPrefix: prefix, types: [DEVICE_REGISTERED], afterPosition, limit: PAGE });
        for (const e of page) this.users.add(e.stream.slice(prefix.length));
        if (page.length < PAGE) break;
        afterPosition = page[page.length - 1].position;
      }
      this.ready = true;
    })().catch((err: Error) => {
      // Not ready: every recipient keeps counting as registered; the next use tries again.
      this.loading = false;
      this.broker.logger.warn(`push registrations not read (${err.message}); every recipient counts as registered`);
    });
  }
}

const all = new WeakMap<ServiceBroker, Registered>();

/** This process's view of who registered a push device. */
export function registeredOf(broker: ServiceBroker): Registered {
  let r = all.get(broker);
  if (!r) all.set(broker, (r = new Registered(broker)));
  return r;
}
