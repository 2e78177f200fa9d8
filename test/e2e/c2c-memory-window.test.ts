/**
 * A conversation keeps only its newest messages in memory (PARLEY_C2C_REMEMBERED); recall,
 * modification and one-sided deletion of older ones still work, found in the log.
 */
import { expect } from 'chai';
import { RestClient, REST_SERVICES, startEmbedded, type Answer, type Embedded } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

describe('one-to-one messages older than a conversation keeps in memory (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  let random = 1;
  const keys: string[] = [];

  const ok = (answer: Answer) => expect(answer, answer.ErrorInfo).to.include({ ErrorCode: 0 });
  const roam = async (operator: string, peer: string) =>
    (await rest.call('openim/admin_getroammsg', { Operator_Account: operator, Peer_Account: peer, MaxCnt: 100, MinTime: 0, MaxTime: 4_000_000_000 })).MsgList as {
      MsgKey: string;
      MsgFlagBits: number;
      MsgBody: unknown[];
    }[];

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'conversations', 'friends'], env: { PARLEY_C2C_REMEMBERED: '3' } });
    rest = new RestClient(server.baseUrl, server.app, (userId) => tencentUserSig({ sdkAppId: server.app.sdkAppId, key: server.app.secret, userId }));
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['ann', 'ben'] }));
    for (let i = 1; i <= 10; i++) {
      const sent = await rest.call('openim/sendmsg', { From_Account: i % 2 ? 'ann' : 'ben', To_Account: i % 2 ? 'ben' : 'ann', MsgRandom: random++, MsgBody: text(`m${i}`) });
      ok(sent);
      keys.push(String(sent.MsgKey));
    }
  });
  after(() => server?.stop());

  it('recalls the first of ten messages once, naming its sender in history', async () => {
    ok(await rest.call('openim/admin_msgwithdraw', { From_Account: 'ann', To_Account: 'ben', MsgKey: keys[0] }));
    expect((await rest.call('openim/admin_msgwithdraw', { From_Account: 'ann', To_Account: 'ben', MsgKey: keys[0] })).ErrorCode).to.equal(20023);
    const first = (await roam('ben', 'ann')).find((m) => m.MsgKey === keys[0]);
    expect(first).to.include({ MsgFlagBits: 1 });
  });

  it('still refuses a key the log does not hold', async () => {
    expect((await rest.call('openim/admin_msgwithdraw', { From_Account: 'ann', To_Account: 'ben', MsgKey: '2_999_1' })).ErrorCode).to.equal(20022);
  });

  it('modifies an old message, and refuses to modify a recalled one', async () => {
    ok(await rest.call('openim/modify_c2c_msg', { From_Account: 'ben', To_Account: 'ann', MsgKey: keys[1], MsgBody: text('edited') }));
    expect((await roam('ann', 'ben')).find((m) => m.MsgKey === keys[1])?.MsgBody).to.deep.equal(text('edited'));
    expect((await rest.call('openim/modify_c2c_msg', { From_Account: 'ann', To_Account: 'ben', MsgKey: keys[0], MsgBody: text('x') })).ErrorCode).to.equal(20023);
  });

  it('deletes old and new messages on one side in one request', async () => {
    ok(await rest.call('openim/delete_c2c_msg_ramble', { From_Account: 'ann', To_Account: 'ben', MsgKeyList: [keys[2], keys[9]] }));
    const annSees = (await roam('ann', 'ben')).map((m) => m.MsgKey);
    expect(annSees).to.not.include.members([keys[2]]);
    expect(annSees).to.not.include(keys[9]);
    expect(annSees).to.include(keys[3]);
    expect((await roam('ben', 'ann')).map((m) => m.MsgKey)).to.include.members([keys[2], keys[9]]);
  });
});
