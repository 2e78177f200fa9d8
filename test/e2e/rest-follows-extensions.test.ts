/**
 * Follow and message extensions over REST, as an app backend uses them: both are events of their
 * actors, so they hold over a restart of the node; REST administrators act for From_Account and
 * any message, and bad bodies change nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';

const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });
const X = 'openim_msg_ext_http_svc';

describe('REST follow and message extensions (e2e)', function () {
  this.timeout(20_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-follow-ext-'));
  const env = { PARLEY_DATA: dataDir, PARLEY_SDKAPPID: String(1400000000 + Math.floor(Math.random() * 1e8)), PARLEY_SECRET: 'follow-ext-secret-e2e' };
  let server: Embedded;
  let rest: RestClient;
  const start = async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'conversations', 'groups', 'friends', 'follows', 'extensions'], env });
    rest = adminRest(server);
  };
  const pair = { From_Account: 'xa', To_Account: 'xb' };
  let msgKey = '';
  let groupId = '';
  let groupSeq = 0;

  before(async () => {
    await start();
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['xa', 'xb', 'xc'] }));
    const sent = await rest.call('openim/sendmsg', { ...pair, MsgRandom: 7, SupportMessageExtension: 1, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }] });
    ok(sent);
    msgKey = sent.MsgKey as string;
    groupId = (await rest.call('group_open_http_svc/create_group', { Owner_Account: 'xa', Type: 'Public', Name: 'x', MemberList: [{ Member_Account: 'xb' }] })).GroupId as string;
    const inGroup = await rest.call('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account: 'xa', Random: 9, SupportMessageExtension: 1, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'all' } }] });
    ok(inGroup);
    groupSeq = inGroup.MsgSeq as number;
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps follows and extensions over a restart', async () => {
    ok(await rest.call('follow/follow_add', { From_Account: 'xa', FollowItem: [{ To_Account: 'xb' }, { To_Account: 'xc' }] }));
    ok(await rest.call('follow/follow_delete', { From_Account: 'xa', To_Account: ['xc'] }));
    ok(await rest.call(`${X}/set_key_values`, { ...pair, MsgKey: msgKey, OperateType: 1, ExtensionList: [{ Key: 'k', Value: 'v' }] }));
    ok(await rest.call(`${X}/group_set_key_values`, { GroupId: groupId, MsgSeq: groupSeq, OperateType: 1, ExtensionList: [{ Key: 'g', Value: '1' }] }));
    await server.stop();
    await start();
    const check = await rest.call('follow/follow_check', { From_Account: 'xb', To_Account: ['xa', 'xc'] });
    expect((check.ResultItem as { To_Account: string; FollowType: number }[]).map((r) => [r.To_Account, r.FollowType])).to.deep.equal([['xa', 1], ['xc', 0]]);
    const c2c = await rest.call(`${X}/get_key_values`, { ...pair, MsgKey: msgKey });
    expect(c2c.ExtensionList).to.deep.equal([{ Key: 'k', Value: 'v', Seq: 1 }]);
    const group = await rest.call(`${X}/group_get_key_values`, { GroupId: groupId, MsgSeq: groupSeq });
    expect(group.ExtensionList).to.deep.equal([{ Key: 'g', Value: '1', Seq: 1 }]);
  });

  it('refuses bad bodies with the command codes and stores nothing', async () => {
    expect((await rest.call('follow/follow_add', { From_Account: 'xa', FollowItem: Array.from({ length: 21 }, () => ({ To_Account: 'xb' })) })).ErrorCode).to.equal(30001);
    expect((await rest.call('follow/follow_check', { From_Account: 'xa' })).ErrorCode).to.equal(30001);
    expect((await rest.call(`${X}/set_key_values`, { ...pair, MsgKey: msgKey, OperateType: 4, ExtensionList: [{ Key: 'z', Value: 'v' }] })).ErrorCode).to.equal(90001);
    expect((await rest.call(`${X}/set_key_values`, { ...pair, MsgKey: msgKey, OperateType: 1, ExtensionList: [{ Key: 'z', Value: '' }] })).ErrorCode).to.equal(90001);
    expect((await rest.call(`${X}/set_key_values`, { ...pair, MsgKey: msgKey, OperateType: 1, ExtensionList: [{ Key: 'z', Value: 'é'.repeat(513) }] })).ErrorCode).to.equal(90001);
    expect((await rest.call(`${X}/group_set_key_values`, { GroupId: groupId, MsgSeq: groupSeq, TopicId: 't', OperateType: 1, ExtensionList: [{ Key: 'z', Value: 'v' }] })).ErrorCode).to.equal(10004);
    const after = await rest.call(`${X}/get_key_values`, { ...pair, MsgKey: msgKey });
    expect((after.ExtensionList as { Key: string }[]).map((e) => e.Key)).to.deep.equal(['k']);
    const info = await rest.call('follow/follow_get_info', { From_Account: 'xa', To_Account: ['xa', 'ghost'] });
    expect((info.FollowInfo as { FollowingCount: number; ResultCode: number }[]).map((i) => [i.FollowingCount, i.ResultCode])).to.deep.equal([[1, 0], [0, 30003]]);
  });

  it('clears every key of a message and answers the clearing sequence', async () => {
    const cleared = await rest.call(`${X}/set_key_values`, { ...pair, MsgKey: msgKey, OperateType: 3 });
    ok(cleared);
    const read = await rest.call(`${X}/get_key_values`, { ...pair, MsgKey: msgKey });
    expect([read.ExtensionList, read.ClearSeq, read.LatestSeq, read.CompleteFlag]).to.deep.equal([[], cleared.Seq, cleared.Seq, 1]);
  });
});
