/**
 * Global mute per account (openconfigsvr/setnospeaking, getnospeaking) through the REST API:
 * the two mutes apart, for ever and lifted, refused input, and the mute surviving a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const random = () => Math.floor(Math.random() * 0xffffffff);
const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });
const FOREVER = 4294967295;

describe('REST global mute, openconfigsvr (e2e)', function () {
  this.timeout(20_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-nospeaking-'));
  const env = { PARLEY_DATA: dataDir, PARLEY_SDKAPPID: String(1400000000 + Math.floor(Math.random() * 1e8)), PARLEY_SECRET: 'nospeaking-secret-e2e' };
  let server: Embedded;
  let rest: RestClient;
  let groupId: string;
  const start = async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'friends', 'messages', 'groups'], env });
    rest = adminRest(server);
  };
  const c2c = (From_Account: string) => rest.call('openim/sendmsg', { From_Account, To_Account: 'peer', MsgRandom: random(), MsgBody: text('hi') });
  const group = (From_Account: string) => rest.call('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account, Random: random(), MsgBody: text('hi') });
  const mutes = (Get_Account: string) => rest.call('openconfigsvr/getnospeaking', { Get_Account });
  const set = (body: object) => rest.call('openconfigsvr/setnospeaking', body);

  before(async () => {
    await start();
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['talker', 'peer', 'other'] }));
    const made = await rest.call('group_open_http_svc/create_group', { Owner_Account: 'peer', Type: 'Public', Name: 'muted', MemberList: [{ Member_Account: 'talker' }, { Member_Account: 'other' }] });
    ok(made);
    groupId = made.GroupId as string;
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 0 and 0 for an account nobody muted', async () => {
    expect(await mutes('other')).to.include({ ActionStatus: 'OK', C2CmsgNospeakingTime: 0, GroupmsgNospeakingTime: 0 });
  });

  it('refuses one-to-one sends with 20012 while the C2C mute lasts, and leaves group sends alone', async () => {
    ok(await c2c('talker'));
    ok(await set({ Set_Account: 'talker', C2CmsgNospeakingTime: 3600 }));
    expect((await c2c('talker')).ErrorCode).to.equal(20012);
    ok(await group('talker'));
    const left = await mutes('talker');
    expect(left.C2CmsgNospeakingTime).to.be.within(3598, 3600);
    expect(left.GroupmsgNospeakingTime).to.equal(0);
    // Others, and the peer answering, are not muted.
    ok(await c2c('other'));
  });

  it('refuses group sends with 10017 while the group mute lasts, for ever until lifted', async () => {
    ok(await set({ Set_Account: 'talker', GroupmsgNospeakingTime: FOREVER }));
    expect((await group('talker')).ErrorCode).to.equal(10017);
    // A field left out keeps its mute.
    expect(await mutes('talker')).to.include({ GroupmsgNospeakingTime: FOREVER });
    expect((await mutes('talker')).C2CmsgNospeakingTime).to.be.above(3500);
    ok(await set({ Set_Account: 'talker', GroupmsgNospeakingTime: 0 }));
    ok(await group('talker'));
    expect(await mutes('talker')).to.include({ GroupmsgNospeakingTime: 0 });
  });

  it('refuses bad input with Tencent codes and changes nothing', async () => {
    expect((await set({ C2CmsgNospeakingTime: 10 })).ErrorCode).to.equal(70402);
    expect((await set({ Set_Account: 'other', C2CmsgNospeakingTime: -1 })).ErrorCode).to.equal(70402);
    expect((await set({ Set_Account: 'other', GroupmsgNospeakingTime: FOREVER + 1 })).ErrorCode).to.equal(70402);
    expect((await set({ Set_Account: 'other', GroupmsgNospeakingTime: '60' })).ErrorCode).to.equal(70402);
    expect((await set({ Set_Account: 'nobody', C2CmsgNospeakingTime: 10 })).ErrorCode).to.equal(70107);
    expect((await mutes('nobody')).ErrorCode).to.equal(70107);
    expect(await mutes('other')).to.include({ C2CmsgNospeakingTime: 0, GroupmsgNospeakingTime: 0 });
    ok(await c2c('other'));
  });

  it('keeps the mutes over a restart: they are events of the account', async () => {
    ok(await set({ Set_Account: 'other', GroupmsgNospeakingTime: 600 }));
    await server.stop();
    await start();
    expect((await c2c('talker')).ErrorCode).to.equal(20012);
    expect((await group('other')).ErrorCode).to.equal(10017);
    ok(await group('talker'));
    ok(await set({ Set_Account: 'talker', C2CmsgNospeakingTime: 0 }));
    ok(await c2c('talker'));
  });
});
