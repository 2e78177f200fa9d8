/**
 * modify_group_msg and clear_group_msg through the REST API, as an app backend drives them:
 * history shows the new content, cleared history is gone for members and kept for the
 * administrator, bad input changes nothing, and both hold over a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const random = () => Math.floor(Math.random() * 0xffffffff);
const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });
const G = 'group_open_http_svc';

interface Item {
  MsgSeq: number;
  IsPlaceMsg: number;
  MsgBody: { MsgContent: { Text: string } }[];
  CloudCustomData?: string;
}

describe('REST group message edits (e2e)', function () {
  this.timeout(20_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-group-edits-'));
  const env = { PARLEY_DATA: dataDir, PARLEY_SDKAPPID: String(1400000000 + Math.floor(Math.random() * 1e8)), PARLEY_SECRET: 'group-edits-secret-e2e' };
  let server: Embedded;
  let rest: RestClient;
  const start = async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'groups', 'inboxes', 'conversations'], env });
    rest = adminRest(server);
  };
  const call = (cmd: string, body: object) => rest.call(`${G}/${cmd}`, body);
  const send = async (GroupId: string, Text: string) => (await call('send_group_msg', { GroupId, From_Account: 'owner', Random: random(), MsgBody: text(Text), CloudCustomData: 'first' })).MsgSeq as number;
  const items = async (GroupId: string) => ((await call('group_msg_get_simple', { GroupId, ReqMsgNumber: 20 })).RspMsgList as Item[]) ?? [];
  const texts = async (GroupId: string) => (await items(GroupId)).map((m) => m.MsgBody[0]?.MsgContent.Text);
  const create = async (Type: string) => (await call('create_group', { Owner_Account: 'owner', Type, Name: Type, MemberList: [{ Member_Account: 'm1' }] })).GroupId as string;
  let work = '';

  before(async () => {
    await start();
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['owner', 'm1'] }));
    work = await create('Public');
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('replaces MsgBody, CloudCustomData or both of a stored message, under openim and the group service', async () => {
    const seq = await send(work, 'original');
    ok(await rest.call('openim/modify_group_msg', { GroupId: work, MsgSeq: seq, MsgBody: text('edited') }));
    let [m] = await items(work);
    expect(m).to.include({ MsgSeq: seq, CloudCustomData: 'first' });
    expect(m.MsgBody[0].MsgContent.Text).to.equal('edited');
    ok(await call('modify_group_msg', { GroupId: work, MsgSeq: seq, CloudCustomData: 'second' }));
    [m] = await items(work);
    expect(m.CloudCustomData).to.equal('second');
    expect(m.MsgBody[0].MsgContent.Text).to.equal('edited');
  });

  it('refuses what it cannot modify with Tencent codes and changes nothing', async () => {
    const seq = await send(work, 'keep me');
    expect((await rest.call('openim/modify_group_msg', { GroupId: work, MsgSeq: seq })).ErrorCode).to.equal(10004);
    expect((await rest.call('openim/modify_group_msg', { GroupId: work, MsgSeq: 0, MsgBody: text('x') })).ErrorCode).to.equal(10004);
    expect((await rest.call('openim/modify_group_msg', { GroupId: work, MsgSeq: seq, MsgBody: 'not a list' })).ErrorCode).to.equal(90007);
    expect((await rest.call('openim/modify_group_msg', { GroupId: work, MsgSeq: seq, CloudCustomData: 'x'.repeat(12 * 1024 + 1) })).ErrorCode).to.equal(10004);
    expect((await rest.call('openim/modify_group_msg', { GroupId: work, MsgSeq: 9999, MsgBody: text('x') })).ErrorCode).to.equal(10030);
    expect((await rest.call('openim/modify_group_msg', { GroupId: 'missing', MsgSeq: 1, MsgBody: text('x') })).ErrorCode).to.equal(10010);
    ok(await call('group_msg_recall', { GroupId: work, MsgSeqList: [{ MsgSeq: seq }] }));
    expect((await rest.call('openim/modify_group_msg', { GroupId: work, MsgSeq: seq, MsgBody: text('x') })).ErrorCode).to.equal(10032);
    const room = await create('AVChatRoom');
    expect((await rest.call('openim/modify_group_msg', { GroupId: room, MsgSeq: 1, MsgBody: text('x') })).ErrorCode).to.equal(10007);
    expect((await texts(work))).not.to.include('x');
  });

  it('hides cleared history from members up to MsgSeq, keeps it for the administrator, and clears all without MsgSeq', async () => {
    const group = await create('Public');
    const [s1, s2, s3] = [await send(group, 'one'), await send(group, 'two'), await send(group, 'three')];
    ok(await call('clear_group_msg', { GroupId: group, MsgSeq: s2 }));
    // A member's page is the SDK's group_msg_get, asked here as the member through the groups service.
    const asMember = await server.broker.call('groups.history', { app: server.app.sdkAppId, caller: { kind: 'user', id: 'm1' }, body: { GroupId: group, ReqMsgNumber: 20 } });
    expect((asMember as { RspMsgList: Item[] }).RspMsgList.map((m) => m.MsgSeq)).to.deep.equal([s3]);
    expect((await items(group)).map((m) => m.MsgSeq)).to.deep.equal([s3, s2, s1]);
    ok(await call('clear_group_msg', { GroupId: group }));
    const after = await server.broker.call('groups.history', { app: server.app.sdkAppId, caller: { kind: 'user', id: 'm1' }, body: { GroupId: group, ReqMsgNumber: 20 } });
    expect((after as { RspMsgList: Item[] }).RspMsgList).to.deep.equal([]);
    expect((await call('clear_group_msg', { GroupId: 'missing' })).ErrorCode).to.equal(10010);
    expect((await call('clear_group_msg', { GroupId: group, MsgSeq: -1 })).ErrorCode).to.equal(10004);
    const community = (await call('create_group', { Owner_Account: 'owner', Type: 'Community', Name: 'c' })).GroupId as string;
    expect((await call('clear_group_msg', { GroupId: community })).ErrorCode).to.equal(10007);
  });

  it('counts no cleared message as unread (get_joined_group_list SelfInfo), and counts what comes after', async () => {
    const group = await create('Public');
    const unread = async () => {
      const joined = await call('get_joined_group_list', { Member_Account: 'm1', ResponseFilter: { SelfInfoFilter: ['UnreadMsgNum', 'MsgSeq'] } });
      const self = (joined.GroupIdList as { GroupId: string; SelfInfo: { UnreadMsgNum: number; MsgSeq: number } }[]).find((g) => g.GroupId === group)?.SelfInfo;
      return [self?.UnreadMsgNum, self?.MsgSeq];
    };
    const seqs = [await send(group, 'one'), await send(group, 'two'), await send(group, 'three')];
    expect(await unread()).to.deep.equal([3, 0]);
    ok(await call('clear_group_msg', { GroupId: group, MsgSeq: seqs[1] }));
    expect(await unread()).to.deep.equal([1, seqs[1]]);
    await send(group, 'four');
    expect(await unread()).to.deep.equal([2, seqs[1]]);
    ok(await call('clear_group_msg', { GroupId: group }));
    expect(await unread()).to.deep.equal([0, seqs[2] + 1]);
  });

  it('keeps modifications and clearing over a restart: they are events of the group', async () => {
    const group = await create('Public');
    const seq = await send(group, 'before');
    await send(group, 'later');
    ok(await rest.call('openim/modify_group_msg', { GroupId: work, MsgSeq: 1, MsgBody: text('edited again') }));
    ok(await call('clear_group_msg', { GroupId: group, MsgSeq: seq }));
    await server.stop();
    await start();
    expect((await texts(work))[(await items(work)).length - 1]).to.equal('edited again');
    const asMember = await server.broker.call('groups.history', { app: server.app.sdkAppId, caller: { kind: 'user', id: 'm1' }, body: { GroupId: group, ReqMsgNumber: 20 } });
    expect((asMember as { RspMsgList: Item[] }).RspMsgList.map((m) => m.MsgBody[0].MsgContent.Text)).to.deep.equal(['later']);
    ok(await rest.call('openim/modify_group_msg', { GroupId: group, MsgSeq: seq + 1, MsgBody: text('after restart') }));
    expect((await texts(group))[0]).to.equal('after restart');
  });
});
