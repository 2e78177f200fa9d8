/**
 * One-to-one messages with the app backend's callbacks on: the before-send verdicts reach the
 * sender, and the after-callbacks report sends, recalls and read marks.
 */
import { expect } from 'chai';
import { OK, TestBackend } from '../support/backend';
import { RestClient, REST_SERVICES, startEmbedded, type Embedded } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const random = () => Math.floor(Math.random() * 0xffffffff);
const BEFORE = 'C2C.CallbackBeforeSendMsg';

describe('REST one-to-one messages with callbacks (e2e)', function () {
  this.timeout(30_000);
  const backend = new TestBackend();
  let server: Embedded;
  let rest: RestClient;
  const send = (body: object = {}) => rest.call('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: random(), MsgBody: text('hi'), ...body });
  /**
   * Waits for the after-send report of a later message: a conversation's reports are delivered
   * in its order, so any report of an earlier message would have arrived before it.
   */
  const reportedAfter = (msgKey: string) => backend.waitFor(() => backend.of('C2C.CallbackAfterSendMsg').some((r) => r.body.MsgKey === msgKey), 'the report of a later message');
  const roamNewest = async () =>
    ((await rest.call('openim/admin_getroammsg', { Operator_Account: 'bob', Peer_Account: 'alice', MaxCnt: 1, MinTime: 0, MaxTime: 4e9 })).MsgList as { MsgBody: unknown; MsgKey: string }[])[0];

  before(async () => {
    await backend.start();
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'friends', 'webhooks'], env: { PARLEY_CALLBACK_URL: backend.url } });
    rest = new RestClient(server.baseUrl, server.app, (userId) => tencentUserSig({ sdkAppId: server.app.sdkAppId, key: server.app.secret, userId }));
    await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] });
  });
  after(async () => {
    await server?.stop();
    await backend.stop();
  });
  beforeEach(() => {
    backend.received.length = 0;
    backend.respond = () => ({ body: OK });
  });

  it('asks the backend before sending, with the message, and reports the send afterwards', async () => {
    const answer = await send();
    expect(answer.ErrorCode).to.equal(0);
    const [before] = backend.of(BEFORE);
    expect(before.body).to.include({ From_Account: 'alice', To_Account: 'bob', OnlineOnlyFlag: 0 });
    expect(before.body.MsgBody).to.deep.equal(text('hi'));
    expect(before.query).to.include({ OptPlatform: 'RESTAPI', ClientIP: '127.0.0.1' });
    await backend.waitFor(() => backend.of('C2C.CallbackAfterSendMsg').length === 1, 'the after-send callback');
    const [after] = backend.of('C2C.CallbackAfterSendMsg');
    expect(after.body).to.include({ MsgKey: answer.MsgKey, SendMsgResult: 0, UnreadMsgNum: 1 });
    expect(after.query).to.include({ OptPlatform: 'RESTAPI', ClientIP: '127.0.0.1' });
  });

  it('gives the sender the backend’s refusal code and stores nothing', async () => {
    backend.respond = (r) => ({ body: r.query.CallbackCommand === BEFORE ? { ...OK, ErrorCode: 120_123, ErrorInfo: 'no spam' } : OK });
    const before = await roamNewest();
    const refused = random();
    const answer = await send({ MsgRandom: refused });
    expect(answer).to.include({ ErrorCode: 120_123 });
    expect((await roamNewest()).MsgKey).to.equal(before.MsgKey);
    backend.respond = () => ({ body: OK });
    await reportedAfter((await send()).MsgKey as string);
    expect(backend.of('C2C.CallbackAfterSendMsg').filter((r) => r.body.MsgRandom === refused)).to.have.length(0);
  });

  it('refuses with 20006 when the backend answers 1', async () => {
    backend.respond = (r) => ({ body: r.query.CallbackCommand === BEFORE ? { ...OK, ErrorCode: 1 } : OK });
    expect((await send()).ErrorCode).to.equal(20006);
  });

  it('tells the sender it was sent but stores nothing when the backend drops it', async () => {
    backend.respond = (r) => ({ body: r.query.CallbackCommand === BEFORE ? { ...OK, ErrorCode: 2 } : OK });
    const before = await roamNewest();
    expect((await send()).ErrorCode).to.equal(0);
    expect((await roamNewest()).MsgKey).to.equal(before.MsgKey);
  });

  it('stores the body the backend put in its answer', async () => {
    backend.respond = (r) => ({ body: r.query.CallbackCommand === BEFORE ? { ...OK, MsgBody: text('***') } : OK });
    const answer = await send({ MsgBody: text('rude words') });
    const newest = await roamNewest();
    expect(newest.MsgKey).to.equal(answer.MsgKey);
    expect(newest.MsgBody).to.deep.equal(text('***'));
  });

  it('sends without asking when ForbidCallbackControl forbids both callbacks', async () => {
    const forbidden = random();
    expect((await send({ MsgRandom: forbidden, ForbidCallbackControl: ['ForbidBeforeSendMsgCallback', 'ForbidAfterSendMsgCallback'] })).ErrorCode).to.equal(0);
    await reportedAfter((await send()).MsgKey as string);
    expect(backend.received.filter((r) => r.body.MsgRandom === forbidden)).to.have.length(0);
  });

  it('lets the message through when the backend cannot be reached', async () => {
    backend.respond = () => ({ destroy: true });
    expect((await send()).ErrorCode).to.equal(0);
  });

  it('reports recalls and read marks', async () => {
    const sent = await send();
    await rest.call('openim/admin_msgwithdraw', { From_Account: 'alice', To_Account: 'bob', MsgKey: sent.MsgKey });
    await rest.call('openim/admin_set_msg_read', { Report_Account: 'bob', Peer_Account: 'alice' });
    await backend.waitFor(() => backend.of('C2C.CallbackAfterMsgReport').length === 1, 'the read report');
    await backend.waitFor(() => backend.of('C2C.CallbackAfterMsgWithDraw').length === 1, 'the recall report');
    expect(backend.of('C2C.CallbackAfterMsgWithDraw')[0].body).to.include({ From_Account: 'alice', To_Account: 'bob', MsgKey: sent.MsgKey });
    expect(backend.of('C2C.CallbackAfterMsgReport')[0].body).to.include({ Report_Account: 'bob', Peer_Account: 'alice', UnreadMsgNum: 0 });
  });
});
