/**
 * One-to-one messages on a three-node cluster (NATS, PostgreSQL, Redis; child processes):
 * many sends through REST to one pair while the node that owns the pair's conversation is
 * SIGKILLed. Afterwards every acknowledged message is in the history, the conversation's
 * sequence has no gap, and a device's getmsg sync from its cookie returns each stored message
 * exactly once.
 */
import { expect } from 'chai';
import { conversationKey } from '../../actors/c2c';
import { routerOf } from '../../runtime/moleculer/router';
import { FrameClient, until } from '../e2e/ws-harness';
import { GatewayCluster } from '../support/gateway-cluster';

const NODES = ['n1', 'n2', 'n3'];

interface RoamPage {
  ErrorCode: number;
  Complete: number;
  LastMsgKey: string;
  MsgList: { MsgKey: string; MsgTimeStamp: number }[];
}

describe('one-to-one messages on a three-node cluster', function () {
  this.timeout(120_000);
  const cluster = new GatewayCluster(NODES, 'msg');
  const { sdkAppId } = cluster;
  const rest = <T>(nodeID: string, command: string, body: object) => cluster.rest<T>(nodeID, command, body);
  const parleyAt = (nodeID: string) => cluster.node(nodeID);

  before(async () => {
    await cluster.start(['messages', 'connector']);
    await until('three message hosts', () => cluster.client.registry.getServiceList({ onlyAvailable: true }).filter((s) => s.name === 'messages').length === 3, 15_000);
  });

  after(() => cluster.stop());

  it('refuses sends through every node soon after a block made through another (each node caches the check)', async () => {
    expect((await rest<{ ErrorCode: number }>('n1', 'im_open_login_svc/multiaccount_import', { Accounts: ['blocka', 'blockb'] })).ErrorCode).to.equal(0);
    let random = 1;
    const send = (nodeID: string) =>
      rest<{ ErrorCode: number }>(nodeID, 'openim/sendmsg', { From_Account: 'blocka', To_Account: 'blockb', MsgRandom: random++, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }] });
    for (const nodeID of NODES) {
      const answer = await send(nodeID);
      expect(answer.ErrorCode, `before the block, through ${nodeID}: ${JSON.stringify(answer)}`).to.equal(0);
    }
    expect((await rest<{ ErrorCode: number }>('n2', 'sns/black_list_add', { From_Account: 'blockb', To_Account: ['blocka'] })).ErrorCode).to.equal(0);
    // The node that committed the block forgot at once; the others when its broadcast arrives.
    await until('every node to refuse', async () => (await Promise.all(NODES.map(send))).every((a) => a.ErrorCode === 20007), 2_000);
  });

  it('loses no acknowledged message and leaves no sequence gap when the conversation’s node is SIGKILLed mid-stream', async () => {
    // A pair whose conversation lives on n2; the sends enter through n1 and n3.
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      if (routerOf(cluster.client).ownerOf('messages', conversationKey(sdkAppId, `s${i}`, `r${i}`)) === 'n2') pair = [`s${i}`, `r${i}`];
    }
    const [sender, receiver] = pair;
    expect((await rest<{ ErrorCode: number }>('n1', 'im_open_login_svc/multiaccount_import', { Accounts: [sender, receiver] })).ErrorCode).to.equal(0);

    // The receiver's device, on n1: its cookie before the first message.
    const device = await FrameClient.open(parleyAt('n1'));
    try {
      expect((await device.login(parleyAt('n1'), receiver)).ErrorCode).to.equal(0);
      const first = await device.request('openim.getmsg', { Cookie: '', SyncFlag: 0 });
      const cookie = String(first.Cookie);

      const acked: string[] = [];
      let failed = 0;
      let stop = false;
      const worker = async (w: number) => {
        for (let n = 0; !stop; n++) {
          const entry = (w + n) % 2 === 0 ? 'n1' : 'n3';
          const body = { From_Account: sender, To_Account: receiver, MsgRandom: w * 1_000_000 + n, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `w${w} n${n}` } }] };
          const answer = await rest<{ ErrorCode: number; MsgKey: string }>(entry, 'openim/sendmsg', body).catch(() => undefined);
          if (answer?.ErrorCode === 0) acked.push(answer.MsgKey);
          else failed++;
        }
      };
      const workers = [0, 1, 2, 3, 4, 5].map(worker);
      await until('some messages before the kill', () => acked.length >= 30, 15_000);
      const beforeKill = acked.length;
      const onVictim = await cluster.client.call<{ keys: string[] }, object>('messages.activations', {}, { nodeID: 'n2' });
      expect(onVictim.keys, 'the conversation is active on n2').to.include(conversationKey(sdkAppId, sender, receiver));
      cluster.kill('n2');
      await until('the survivors took over', () => acked.length >= beforeKill + 60, 40_000);
      stop = true;
      await Promise.all(workers);

      // Every acknowledged message is in the history, read through a survivor.
      const stored: string[] = [];
      let lastKey: string | undefined;
      for (;;) {
        const page = await rest<RoamPage>('n3', 'openim/admin_getroammsg', {
          Operator_Account: receiver, Peer_Account: sender, MaxCnt: 100, MinTime: 0, MaxTime: 2 ** 31, ...(lastKey ? { LastMsgKey: lastKey } : {}),
        });
        expect(page.ErrorCode).to.equal(0);
        stored.push(...page.MsgList.map((m) => m.MsgKey));
        if (page.Complete === 1) break;
        lastKey = page.LastMsgKey;
      }
      const storedSet = new Set(stored);
      expect(acked.filter((k) => !storedSet.has(k)), 'acknowledged but not stored').to.deep.equal([]);

      // REST sends carry no client seq, so a MsgKey starts with the conversation's seq: 1..N, no gap.
      const seqs = stored.map((k) => Number(k.split('_')[0])).sort((a, b) => a - b);
      expect(seqs).to.deep.equal(Array.from({ length: seqs.length }, (_, i) => i + 1));

      // The device's sync from its cookie returns each stored message exactly once.
      const synced: string[] = [];
      for (let next = cookie, more = true; more; ) {
        const page = await device.request('openim.getmsg', { Cookie: next, SyncFlag: 1 });
        expect(page.ErrorCode ?? 0).to.equal(0);
        synced.push(...(page.MsgList as { MsgKey: string }[]).map((m) => m.MsgKey));
        next = String(page.Cookie);
        more = page.SyncFlag === 1;
      }
      expect([...synced].sort()).to.deep.equal([...stored].sort());
      console.log(`      ${acked.length} acknowledged, ${failed} failed during the failover, ${stored.length} stored`);
    } finally {
      device.close();
    }
  });
});
