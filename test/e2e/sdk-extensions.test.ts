/**
 * Message extensions with Tencent's real web SDK: setMessageExtensions / deleteMessageExtensions on
 * one-to-one and group messages sent with isSupportExtension reach every device of the
 * conversation as MESSAGE_EXTENSIONS_UPDATED / _DELETED; getMessageExtensions reads them back;
 * a stale sequence is a per-key conflict (23001) that leaves the stored value alone.
 */
import { expect } from 'chai';
import { messageReceived, sdkLogin, type SdkClient } from '../support/sdk';
import { startParley, type Parley } from './ws-harness';

type Answer = { ErrorCode: number; ErrorInfo: string } & Record<string, unknown>;
type Msg = { ID: string; sequence: number; isSupportExtension: boolean };
type Ext = { key: string; value: string };
type SetResult = { extensions: { code: number; key: string; value: string }[] };
const UPDATED = 'onMessageExtensionsUpdated';
const DELETED = 'onMessageExtensionsDeleted';

describe('SDK message extensions (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  const login = (userId: string) => sdkLogin(parley, userId, clients);
  const rest = (command: string, body: object) => parley.rest<Answer>(command, body);
  const codeOf = async (p: Promise<unknown>) => p.then(() => 0, (err: { code: number }) => err.code);
  const sorted = (l: Ext[]) => l.map(({ key, value }) => ({ key, value })).sort((a, b) => a.key.localeCompare(b.key));
  let alice: SdkClient, bob: SdkClient;

  async function send(from: SdkClient, to: string, kind: 'C2C' | 'GROUP', isSupportExtension = true): Promise<Msg> {
    const conversationType = kind === 'C2C' ? from.TencentCloudChat.TYPES.CONV_C2C : from.TencentCloudChat.TYPES.CONV_GROUP;
    const message = from.chat.createTextMessage({ to, conversationType, payload: { text: 'ext' }, isSupportExtension } as never);
    return ((await from.chat.sendMessage(message)) as { data: { message: Msg } }).data.message;
  }

  before(async () => {
    parley = await startParley({}, 1400000096);
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['extalice', 'extbob', 'extcarol'] });
    [alice, bob] = [await login('extalice'), await login('extbob')];
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('sets, reads and deletes extensions of a one-to-one message, and the peer sees each change', async () => {
    const sent = await send(alice, 'extbob', 'C2C');
    const got = await messageReceived<Msg>(bob, sent.ID);
    expect(got.isSupportExtension).to.equal(true);
    const set = (await alice.chat.setMessageExtensions(sent as never, [{ key: 'vote', value: 'yes' }, { key: 'tag', value: 'red' }])).data as SetResult;
    expect(set.extensions.map((e) => e.code)).to.deep.equal([0, 0]);
    const seen = (await bob.events.waitFor(UPDATED, { where: (d) => (d as { messageID: string }).messageID === sent.ID })) as { extensions: Ext[] };
    expect(sorted(seen.extensions)).to.deep.equal([{ key: 'tag', value: 'red' }, { key: 'vote', value: 'yes' }]);

    const read = (await bob.chat.getMessageExtensions(got as never)).data as { extensions: Ext[] };
    expect(sorted(read.extensions)).to.deep.equal([{ key: 'tag', value: 'red' }, { key: 'vote', value: 'yes' }]);

    await bob.chat.deleteMessageExtensions(got as never, ['tag']);
    const gone = (await alice.events.waitFor(DELETED, { where: (d) => (d as { messageID: string }).messageID === sent.ID })) as { keyList: string[] };
    expect(gone.keyList).to.deep.equal(['tag']);
    const after = (await alice.chat.getMessageExtensions(sent as never)).data as { extensions: Ext[] };
    expect(sorted(after.extensions)).to.deep.equal([{ key: 'vote', value: 'yes' }]);
  });

  it('refuses a stale sequence per key and keeps the stored value', async () => {
    const sent = await send(alice, 'extbob', 'C2C');
    await alice.chat.setMessageExtensions(sent as never, [{ key: 'state', value: 'open' }]);
    const msgKey = `${(sent as unknown as { clientSequence: number }).clientSequence}_${(sent as unknown as { random: number }).random}_${(sent as unknown as { time: number }).time}`;
    const stale = await rest('openim_msg_ext_http_svc/set_key_values', { From_Account: 'extalice', To_Account: 'extbob', MsgKey: msgKey, OperateType: 1, ExtensionList: [{ Key: 'state', Value: 'closed', Seq: 0 }, { Key: 'other', Value: 'x', Seq: 0 }] });
    const results = stale.ExtensionList as { ErrorCode: number; Extension: { Key: string; Value: string } }[];
    expect(results.map((r) => [r.ErrorCode, r.Extension.Key, r.Extension.Value])).to.deep.equal([[23001, 'state', 'open'], [0, 'other', 'x']]);
    const read = await rest('openim_msg_ext_http_svc/get_key_values', { From_Account: 'extalice', To_Account: 'extbob', MsgKey: msgKey });
    expect((read.ExtensionList as { Key: string; Value: string }[]).map((e) => [e.Key, e.Value]).sort()).to.deep.equal([['other', 'x'], ['state', 'open']]);
    expect(read.CompleteFlag).to.equal(1);
  });

  it('takes extensions on group messages, clears them for every member, and refuses outsiders', async () => {
    const created = await rest('group_open_http_svc/create_group', { Owner_Account: 'extalice', Type: 'Public', Name: 'ext', MemberList: [{ Member_Account: 'extbob' }] });
    const groupId = created.GroupId as string;
    const sent = await send(alice, groupId, 'GROUP');
    const got = await messageReceived<Msg>(bob, sent.ID);
    await bob.chat.setMessageExtensions(got as never, [{ key: 'seat', value: '12' }]);
    const seen = (await alice.events.waitFor(UPDATED, { where: (d) => (d as { messageID: string }).messageID === sent.ID })) as { extensions: Ext[] };
    expect(sorted(seen.extensions)).to.deep.equal([{ key: 'seat', value: '12' }]);

    const carol = await login('extcarol');
    expect(await codeOf(carol.chat.setMessageExtensions(sent as never, [{ key: 'seat', value: '13' }]))).to.equal(10007);
    const byAdmin = await rest('openim_msg_ext_http_svc/group_get_key_values', { GroupId: groupId, MsgSeq: sent.sequence });
    expect((byAdmin.ExtensionList as { Key: string; Value: string }[]).map((e) => [e.Key, e.Value])).to.deep.equal([['seat', '12']]);
    const missing = await rest('openim_msg_ext_http_svc/group_get_key_values', { GroupId: groupId, MsgSeq: sent.sequence + 50 });
    expect(missing.ErrorCode).to.equal(10030);

    await alice.chat.deleteMessageExtensions(sent as never);
    const cleared = (await bob.events.waitFor(DELETED, { where: (d) => (d as { messageID: string }).messageID === sent.ID })) as { keyList: string[] };
    expect(cleared.keyList).to.deep.equal(['seat']);
    const read = (await bob.chat.getMessageExtensions(got as never)).data as { extensions: Ext[] };
    expect(read.extensions).to.deep.equal([]);
  });

  it('shows the flag in history, so a new device reads the extensions of older messages', async () => {
    const created = await rest('group_open_http_svc/create_group', { Owner_Account: 'extalice', Type: 'Public', Name: 'hist', MemberList: [{ Member_Account: 'extbob' }] });
    const groupId = created.GroupId as string;
    const direct = await send(alice, 'extbob', 'C2C');
    const inGroup = await send(alice, groupId, 'GROUP');
    await alice.chat.setMessageExtensions(direct as never, [{ key: 'pin', value: 'c2c' }]);
    await alice.chat.setMessageExtensions(inGroup as never, [{ key: 'pin', value: 'group' }]);
    const fresh = await login('extbob');
    for (const [conversationID, id, value] of [['C2Cextalice', direct.ID, 'c2c'], [`GROUP${groupId}`, inGroup.ID, 'group']]) {
      const list = ((await fresh.chat.getMessageList({ conversationID })).data as { messageList: Msg[] }).messageList;
      const found = list.find((m) => m.ID === id);
      expect(found?.isSupportExtension, conversationID).to.equal(true);
      const read = (await fresh.chat.getMessageExtensions(found as never)).data as { extensions: Ext[] };
      expect(sorted(read.extensions)).to.deep.equal([{ key: 'pin', value }]);
    }
  });

  it('refuses messages sent without extension support, foreign conversations and oversized keys', async () => {
    const plain = await send(alice, 'extbob', 'C2C', false);
    const key = `${(plain as unknown as { clientSequence: number }).clientSequence}_${(plain as unknown as { random: number }).random}_${(plain as unknown as { time: number }).time}`;
    const body = { From_Account: 'extalice', To_Account: 'extbob', MsgKey: key, OperateType: 1, ExtensionList: [{ Key: 'k', Value: 'v' }] };
    expect((await rest('openim_msg_ext_http_svc/set_key_values', body)).ErrorCode).to.equal(90001);
    const ok = await send(alice, 'extbob', 'C2C');
    const okKey = `${(ok as unknown as { clientSequence: number }).clientSequence}_${(ok as unknown as { random: number }).random}_${(ok as unknown as { time: number }).time}`;
    const long = await rest('openim_msg_ext_http_svc/set_key_values', { ...body, MsgKey: okKey, ExtensionList: [{ Key: 'k'.repeat(101), Value: 'v' }] });
    expect(long.ErrorCode).to.equal(90001);
    const tooMany = await rest('openim_msg_ext_http_svc/set_key_values', { ...body, MsgKey: okKey, ExtensionList: Array.from({ length: 21 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) });
    expect(tooMany.ErrorCode).to.equal(90001);
    const carol = await login('extcarol');
    expect(await codeOf(carol.chat.getMessageExtensions(ok as never))).to.equal(20022);
    const nothing = await rest('openim_msg_ext_http_svc/get_key_values', { From_Account: 'extalice', To_Account: 'extbob', MsgKey: okKey });
    expect(nothing.ExtensionList).to.deep.equal([]);
  });
});
