/**
 * Holds SDK logins at the server while a test changes things "meanwhile": a device that reconnected
 * before the change landed would sync from before it, and the test would race the machine's load.
 */
import type { ServiceBroker } from 'moleculer';

export class LoginHold {
  private gate: Promise<void> = Promise.resolve();

  /** From now on, `presence.login` calls on this broker (of the users `only` picks) wait while held. */
  constructor(broker: ServiceBroker, only: (userId: string) => boolean = () => true) {
    const call = broker.call.bind(broker) as (...args: unknown[]) => Promise<unknown>;
    const held = (args: unknown[]) => args[0] === 'presence.login' && only((args[1] as { userId: string }).userId);
    (broker as unknown as { call: typeof call }).call = (...args: unknown[]) => (held(args) ? this.gate.then(() => call(...args)) : call(...args));
  }

  /** Holds logins until the returned function is called. */
  hold(): () => void {
    let open = () => {};
    this.gate = new Promise((resolve) => (open = resolve));
    return open;
  }

  release(): void {
    this.gate = Promise.resolve();
  }
}

type Gateway = { gateway: { sessionsOf(app: number, id: string): { ws: { send(data: Buffer, options: { binary: boolean }): void } }[] } };

/**
 * Cuts a user's SDK sockets off as a failing network does, and waits until the server let them go: each socket errors first (a text frame
 * that is not UTF-8). The SDK counts its time away from that error (at most 300 s: an incremental
 * conversation list); a bare close of a socket open for a second or more counts from 0, and the
 * SDK asks for the whole list [bundle: ChannelModule onClose, onError, onReconnected].
 */
export async function failNetwork(broker: ServiceBroker, app: number, userId: string): Promise<void> {
  const { gateway } = broker.getLocalService('connector') as unknown as Gateway;
  for (const s of gateway.sessionsOf(app, userId)) s.ws.send(Buffer.from([0xff]), { binary: false });
  // Until the server saw the sockets close: a change made before would still reach them live.
  const deadline = Date.now() + 5000;
  while (gateway.sessionsOf(app, userId).length > 0) {
    if (Date.now() > deadline) throw new Error(`the sockets of ${userId} did not close`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
