/**
 * Liveness and readiness from outside (services/rest/health.ts): /healthz answers 200 only
 * once a client can really connect (the SDK WebSocket included), /readyz also checks the event
 * log, and both turn 503 the moment a graceful stop begins; the stop closes SDK sockets with
 * 1001, on which Tencent's SDK reconnects.
 */
import { expect } from 'chai';
import { ServiceBroker } from 'moleculer';
import { WebSocket } from 'ws';
import { loadConfig } from '../../config';
import { brokerOptions } from '../../moleculer.config';
import { SERVICES_DIR } from '../../services/locate';
import { tempDir } from '../support/stores';
import { FrameClient, freePort, SECRET, startParley, until, type Parley } from './ws-harness';

const get = (port: number, path: string) => fetch(`http://127.0.0.1:${port}${path}`).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

/** Opens the SDK's WebSocket path; resolves with 'open' or the HTTP status of a refused upgrade. */
function upgrade(port: number): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/binfo?sdkappid=1400000002&instanceid=1&platform=7`);
    ws.once('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
    ws.once('error', (err) => resolve(`error ${err.message}`));
  });
}

describe('liveness and readiness (e2e)', function () {
  this.timeout(30_000);

  it('answers /healthz 200 only once the SDK WebSocket accepts connections', async () => {
    const port = await freePort();
    const config = loadConfig({ PARLEY_PORT: String(port), PARLEY_DATA: tempDir('parley-ready-'), PARLEY_SDKAPPID: '1400000002', PARLEY_SECRET: SECRET, PARLEY_LOG_LEVEL: 'warn' });
    const broker = new ServiceBroker(brokerOptions(config));
    broker.loadServices(SERVICES_DIR, '**/*.service.ts');
    const starting = broker.start();
    const seen = new Set<number>();
    try {
      // Poll from the first moment the port listens; the first 200 must mean "connectable".
      for (;;) {
        const answer = await get(port, '/healthz').catch(() => undefined);
        if (answer) seen.add(answer.status);
        if (answer?.status === 200) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      expect(await upgrade(port)).to.equal('open');
      await starting;
      expect([...seen].filter((s) => s !== 200 && s !== 503)).to.deep.equal([]);
    } finally {
      await starting.catch(() => undefined);
      await broker.stop();
    }
  });

  describe('on a started node', () => {
    let parley: Parley;
    before(async () => (parley = await startParley({}, 1400000003)));
    after(() => parley?.stop());

    it('is ready with every dependency answering, and names each check', async () => {
      const { status, body } = await get(parley.port, '/readyz');
      expect(status).to.equal(200);
      expect(body).to.deep.include({ ready: true, status: 'serving', checks: { store: 'ok' } });
      expect((await get(parley.port, '/healthz')).body).to.include({ status: 'ok', mode: 'embedded', store: 'sqlite' });
    });

    it('turns not ready when a graceful stop begins, and closes SDK sockets with 1001', async () => {
      const device = await FrameClient.open(parley);
      expect((await device.login(parley, 'leaver')).ErrorCode).to.equal(0);
      const { port } = parley;
      // Hold the stop in its first step, so /readyz can be asked while the node drains.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      parley.broker.createService({ name: 'slow-to-stop', stopped: () => held });
      await parley.broker.waitForServices(['slow-to-stop']);
      const stopping = parley.broker.stop();
      try {
        await until('/readyz to turn 503', async () => (await get(port, '/readyz').catch(() => ({ status: 0 }))).status === 503);
        expect((await get(port, '/healthz')).body).to.include({ status: 'stopping' });
      } finally {
        release();
        await stopping;
      }
      await until('the device to be closed', () => device.closeCode !== undefined);
      expect(device.closeCode).to.equal(1001);
    });
  });
});
