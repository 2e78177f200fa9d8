/**
 * The push-provider port's contract (services/push/providers/port.ts), run against every
 * provider module and its loopback server: a notification arrives with what was asked, a dead
 * token is reported gone, a provider in trouble is reported retryable, and nothing throws.
 */
import { expect } from 'chai';
import type { Notification, SendOutcome } from '../../../services/push/providers/port';
import type { Received } from '../../support/push-servers';

export interface ProviderUnderTest {
  /** Sends to a device of the given name through the provider, with the app's credentials. */
  send(device: string, n: Notification): Promise<SendOutcome>;
  /** What the loopback server accepted so far. */
  received(): Received[];
  /** The notification's title and body as the server saw them in what it received. */
  shown(r: Received): { title: string; body: string; badge?: number; ext?: string };
  /** Makes the device's token dead at the provider. */
  kill(device: string): void;
  /** The next n requests fail with 503. */
  failNext(n: number): void;
}

export const sample = (over: Partial<Notification> = {}): Notification => ({
  title: 'Alice',
  body: 'hello 👋',
  ext: '{"screen":"chat"}',
  badge: 3,
  collapseId: '1_42_1796000000',
  expiresAt: 0,
  priority: 'high',
  data: { conversationID: 'C2Calice', from: 'alice', seq: '1', kind: 'c2c' },
  ...over,
});

export function providerContract(name: string, make: () => ProviderUnderTest): void {
  describe(`push provider contract: ${name}`, () => {
    let p: ProviderUnderTest;
    before(() => (p = make()));

    it('delivers a notification with its title, body, badge and ext', async () => {
      const outcome = await p.send('dev1', sample());
      expect(outcome).to.deep.equal({ ok: true });
      const shown = p.shown(p.received().at(-1)!);
      expect(shown).to.deep.include({ title: 'Alice', body: 'hello 👋', badge: 3, ext: '{"screen":"chat"}' });
    });

    it('reports a token the provider no longer knows as gone, not retryable', async () => {
      p.kill('dev2');
      const outcome = await p.send('dev2', sample());
      expect(outcome).to.include({ ok: false, gone: true, retry: false });
    });

    it('reports a provider answering 503 as retryable, and delivers on the next try', async () => {
      p.failNext(1);
      const before = p.received().length;
      expect(await p.send('dev3', sample())).to.include({ ok: false, retry: true, gone: false });
      expect(await p.send('dev3', sample())).to.deep.equal({ ok: true });
      expect(p.received().length).to.equal(before + 1);
    });
  });
}
