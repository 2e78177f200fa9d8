/**
 * One-to-one sends against a backend that answers badly: an answer that is not JSON, an
 * ErrorCode of the wrong type, an HTTP error or an out-of-range code. A before-send callback
 * then follows the app's policy, an after-callback is retried only when the answer is unusable
 * (its ErrorCode is ignored, as Tencent does), and every such answer is logged with the request
 * it belongs to. Also the read report's full body.
 */
import { expect } from 'chai';
import { configureCallbacks, OK, TestBackend, type Reply } from '../support/backend';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded, type RestClient } from '../support/embedded';
import { captureLogs, type CapturedLogs } from '../support/logs';

const BEFORE = 'C2C.CallbackBeforeSendMsg';
const AFTER = 'C2C.CallbackAfterSendMsg';
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const random = () => Math.floor(Math.random() * 0xffffffff);

describe('one-to-one callbacks with bad answers (e2e)', function () {
  this.timeout(30_000);
  const backend = new TestBackend();
  let server: Embedded;
  let rest: RestClient;
  let logs: CapturedLogs | undefined;
  const send = (body: object = {}) => rest.call('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: random(), MsgBody: text('hi'), ...body });
  const newestKey = async () =>
    ((await rest.call('openim/admin_getroammsg', { Operator_Account: 'bob', Peer_Account: 'alice', MaxCnt: 1, MinTime: 0, MaxTime: 4e9 })).MsgList as { MsgKey: string }[])[0]?.MsgKey;
  const afterOf = (msgKey: unknown) => backend.of(AFTER).filter((r) => r.body.MsgKey === msgKey);
  const configure = (callback: Record<string, unknown>) => configureCallbacks(server.broker, server.app.sdkAppId, callback);

  before(async () => {
    await backend.start();
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'friends', 'webhooks'], env: { PARLEY_CALLBACK_URL: backend.url } });
    rest = adminRest(server);
    await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] });
    await configure({ retryBaseMs: 50, retryMaxMs: 200 });
  });
  after(async () => {
    logs?.restore();
    await server?.stop();
    await backend.stop();
  });
  beforeEach(() => {
    backend.received.length = 0;
    backend.respond = () => ({ body: OK });
    logs = captureLogs();
  });
  afterEach(() => {
    logs?.restore();
    logs = undefined;
  });

  describe('before-send', () => {
    const cases: [string, Reply, number, RegExp][] = [
      ['an answer that is not JSON', { body: '<html>busy</html>' }, 0, /not JSON/],
      ['an ErrorCode of the wrong type', { body: { ...OK, ErrorCode: '1' } }, 0, /not an integer/],
      ['an answer that is a JSON list', { body: '[0]' }, 0, /not a JSON object/],
      ['HTTP 500', { status: 500 }, 0, /HTTP 500/],
      ['an out-of-range ErrorCode', { body: { ...OK, ErrorCode: 5000, ErrorInfo: 'odd' } }, 20006, /out of range/],
    ];
    for (const [what, reply, code, logged] of cases) {
      it(`${code === 0 ? 'sends' : `refuses with ${code}`} after ${what}, and logs it with the request id`, async () => {
        backend.respond = (r) => (r.query.CallbackCommand === BEFORE ? reply : { body: OK });
        const answer = await send();
        expect(answer.ErrorCode).to.equal(code);
        if (code === 0) expect(await newestKey()).to.equal(answer.MsgKey);
        expect(answer.RequestId).to.be.a('string').and.not.equal('');
        expect(logs!.matching(new RegExp(BEFORE.replace('.', '\\.')), new RegExp(String(answer.RequestId)), logged), logs!.lines.join('\n')).to.have.length(1);
      });
    }

    it('refuses with 20006 after an unusable answer when the app chose to reject', async () => {
      await configure({ beforeTimeoutPolicy: 'reject' });
      try {
        backend.respond = (r) => (r.query.CallbackCommand === BEFORE ? { body: 'not json' } : { body: OK });
        const before = await newestKey();
        expect((await send()).ErrorCode).to.equal(20006);
        expect(await newestKey()).to.equal(before);
      } finally {
        await configure({ beforeTimeoutPolicy: 'allow' });
      }
    });
  });

  describe('after-send', () => {
    it('retries an answer that is not JSON until the backend answers properly, and logs the failure', async () => {
      // Only this message's reports are answered badly: an earlier test's may still be in flight.
      const MsgRandom = random();
      let attempts = 0;
      backend.respond = (r) => (r.query.CallbackCommand === AFTER && r.body.MsgRandom === MsgRandom && attempts++ < 2 ? { body: 'OK' } : { body: OK });
      const sent = await send({ MsgRandom });
      await backend.waitFor(() => afterOf(sent.MsgKey).length === 3, 'the third attempt');
      const next = await send();
      await backend.waitFor(() => afterOf(next.MsgKey).length === 1, 'the next message’s report');
      expect(afterOf(sent.MsgKey)).to.have.length(3);
      expect(logs!.matching(/C2C\.CallbackAfterSendMsg/, /request \S+/, /not JSON/)).to.have.length.at.least(1);
    });

    it('retries a report the backend answered too late', async () => {
      await configure({ timeoutMs: 200 });
      try {
        const MsgRandom = random();
        let attempts = 0;
        backend.respond = (r) => (r.query.CallbackCommand === AFTER && r.body.MsgRandom === MsgRandom && attempts++ === 0 ? { delayMs: 600 } : { body: OK });
        const sent = await send({ MsgRandom });
        await backend.waitFor(() => afterOf(sent.MsgKey).length === 2, 'the second attempt');
        const [first, second] = afterOf(sent.MsgKey);
        expect(second.at - first.at).to.be.at.least(200);
        expect(logs!.matching(/C2C\.CallbackAfterSendMsg/, /request \S+/, /failed/)).to.have.length.at.least(1);
      } finally {
        await configure({ timeoutMs: 2000 });
      }
    });

    const ignored: [string, object][] = [
      ['an ErrorCode of the wrong type', { ...OK, ErrorCode: 'x' }],
      ['an out-of-range ErrorCode', { ActionStatus: 'FAIL', ErrorCode: 99_999, ErrorInfo: 'nope' }],
    ];
    for (const [what, body] of ignored) {
      it(`counts a JSON answer with ${what} as delivered, never retried`, async () => {
        backend.respond = (r) => ({ body: r.query.CallbackCommand === AFTER ? body : OK });
        const sent = await send();
        await backend.waitFor(() => afterOf(sent.MsgKey).length === 1, 'the report');
        // One order per conversation: a retry of the first report would come before the second.
        const next = await send();
        await backend.waitFor(() => afterOf(next.MsgKey).length === 1, 'the next report');
        expect(afterOf(sent.MsgKey)).to.have.length(1);
      });
    }
  });

  it('gives both send callbacks the MsgId the sender got (MsgSeq given, as the SDK always does)', async () => {
    const sent = await send({ MsgSeq: 4321 });
    await backend.waitFor(() => afterOf(sent.MsgKey).length === 1, 'the after-send report');
    expect(sent.MsgId).to.be.a('string').and.not.equal('');
    expect(backend.of(BEFORE).at(-1)!.body).to.include({ MsgId: sent.MsgId });
    expect(afterOf(sent.MsgKey)[0].body).to.include({ MsgId: sent.MsgId, MsgKey: sent.MsgKey });
  });

  it('reports a read mark with the reader, the peer, the time read and no unread left', async () => {
    await send();
    const t0 = Math.floor(Date.now() / 1000);
    expect((await rest.call('openim/admin_set_msg_read', { Report_Account: 'bob', Peer_Account: 'alice' })).ErrorCode).to.equal(0);
    await backend.waitFor(() => backend.of('C2C.CallbackAfterMsgReport').length === 1, 'the read report');
    const { CallbackCommand, EventTime, LastReadTime, ...others } = backend.of('C2C.CallbackAfterMsgReport')[0].body;
    expect(CallbackCommand).to.equal('C2C.CallbackAfterMsgReport');
    expect(EventTime).to.be.a('number');
    expect(LastReadTime).to.be.within(t0, t0 + 2);
    expect(others).to.deep.equal({ Report_Account: 'bob', Peer_Account: 'alice', UnreadMsgNum: 0 });
  });
});
