/**
 * The app directory of a node that has just joined a cluster: an app change made before the
 * other nodes know the newcomer listens reaches it anyway (services/apps/apps.service.ts
 * reloads the directory every few seconds), so no node keeps old limits, keys or an unknown app.
 */
import { expect } from 'chai';
import { Installation } from '../../bench/faults/installation';

describe('app directory of a node that just joined a cluster', function () {
  this.timeout(120_000);
  let cluster: Installation;

  before(async () => {
    cluster = await Installation.create('cluster', { nodes: 2 });
    await cluster.start();
  });
  after(() => cluster?.stop());

  it('learns of an app change made in its first moments, which the broadcast may miss', async () => {
    // At once: measured, a change within half a second of a node's start never reached it by broadcast.
    await cluster.nodes[0].call('apps.update', { sdkAppId: cluster.sdkAppId, settings: { rateLimits: { default: 4321, account: 4321 } } });
    const limitOn = async (i: number) =>
      (await cluster.nodes[i].call<{ settings: { rateLimits: { default: number } } }>('apps.get', { sdkAppId: cluster.sdkAppId }, { local: true })).settings.rateLimits.default;
    const deadline = Date.now() + 8000;
    while ((await limitOn(1)) !== 4321 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await limitOn(0)).to.equal(4321);
    expect(await limitOn(1)).to.equal(4321);
  });
});
