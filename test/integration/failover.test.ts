/**
 * Failover with the default settings (2 s heartbeats, 6 s timeout): after a SIGKILL of the node
 * owning a conversation, sends to that conversation succeed again within 2 s, because the
 * survivors learn from NATS that the node is gone (runtime/moleculer/liveness.ts) instead of
 * waiting out the heartbeat timeout; the conversation's sequence goes on without a gap.
 * Figures over many runs: docs/benchmarks.md, "Failover".
 */
import { expect } from 'chai';
import { conversationKey } from '../../actors/c2c';
import { routerOf } from '../../runtime/moleculer/router';
import { until } from '../e2e/ws-harness';
import { GatewayCluster } from '../support/gateway-cluster';

describe('failover on a three-node cluster with default heartbeats', function () {
  this.timeout(90_000);
  const cluster = new GatewayCluster(['n1', 'n2', 'n3'], 'failover', { PARLEY_HEARTBEAT_SEC: '2', PARLEY_HEARTBEAT_TIMEOUT_SEC: '6' });
  const { sdkAppId } = cluster;

  before(async () => {
    await cluster.start(['messages', 'connector']);
    await until('three message hosts', () => cluster.client.registry.getServiceList({ onlyAvailable: true }).filter((s) => s.name === 'messages').length === 3, 15_000);
  });
  after(() => cluster.stop());

  it('sends to a killed node’s conversation again within 2 s, with no gap in its sequence', async () => {
    let pair: [string, string] | undefined;
    for (let i = 0; !pair && i < 10_000; i++) {
      if (routerOf(cluster.client).ownerOf('messages', conversationKey(sdkAppId, `fa${i}`, `fb${i}`)) === 'n3') pair = [`fa${i}`, `fb${i}`];
    }
    if (!pair) throw new Error('no conversation key hashes to n3');
    const [from, to] = pair;
    expect((await cluster.rest('n1', 'im_open_login_svc/multiaccount_import', { Accounts: [from, to] })).ErrorCode).to.equal(0);
    let random = 1;
    const send = (via = 'n1') =>
      cluster.rest<{ ErrorCode: number; MsgKey: string }>(via, 'openim/sendmsg', { From_Account: from, To_Account: to, MsgRandom: random++, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }] });
    for (let i = 0; i < 3; i++) expect((await send()).ErrorCode).to.equal(0);

    cluster.kill('n3');
    const killedAt = Date.now();
    let answer = await send().catch(() => undefined);
    while (answer?.ErrorCode !== 0 && Date.now() - killedAt < 20_000) answer = await send().catch(() => undefined);
    const recoveredMs = Date.now() - killedAt;
    console.log(`      first successful send ${recoveredMs} ms after the kill`);
    expect(answer?.ErrorCode).to.equal(0);
    expect(recoveredMs).to.be.below(2000);
    // The other survivor has moved on too: a send through it needs no heartbeat timeout either.
    let second = await send('n2').catch(() => undefined);
    while (second?.ErrorCode !== 0 && Date.now() - killedAt < 20_000) second = await send('n2').catch(() => undefined);
    const bothMs = Date.now() - killedAt;
    console.log(`      first successful send through the other survivor ${bothMs} ms after the kill`);
    expect(bothMs).to.be.below(2000);

    const page = await cluster.rest<{ ErrorCode: number; MsgList: { MsgKey: string }[] }>('n2', 'openim/admin_getroammsg', { Operator_Account: to, Peer_Account: from, MaxCnt: 100, MinTime: 0, MaxTime: 2 ** 31 });
    const seqs = page.MsgList.map((m) => Number(m.MsgKey.split('_')[0])).sort((a, b) => a - b);
    expect(seqs).to.deep.equal(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.length).to.be.at.least(4);
  });
});
