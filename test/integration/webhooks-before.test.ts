/**
 * Before-callbacks against a real HTTP backend: the request Tencent would send, and every
 * verdict the answer (or its absence) leads to.
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import { CALLBACK_COMMANDS } from '../../actors/apps/settings/callbacks';
import { callBefore, type Verdict } from '../../services/webhooks/client';
import { OK, TestBackend, type Reply } from '../support/backend';
import { freePort } from '../support/embedded';
import { SDKAPPID, startNode, type WebhookNode } from './webhooks-support';

const C2C = 'C2C.CallbackBeforeSendMsg';
const GROUP = 'Group.CallbackBeforeSendMsg';
const sendBody = { From_Account: 'alice', To_Account: 'bob', MsgSeq: 1, MsgRandom: 42, MsgTime: 1700000000, MsgKey: '1_42_1700000000', OnlineOnlyFlag: 0, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }], CloudCustomData: '' };

describe('webhooks: before-callbacks', function () {
  this.timeout(20_000);
  const backend = new TestBackend();
  let node: WebhookNode;
  const ask = (command: string, body: Record<string, unknown> = sendBody, extra: object = {}): Promise<Verdict> =>
    node.broker.call('webhooks.before', { app: SDKAPPID, command, body, ...extra });
  const answer = (reply: Reply | unknown) => {
    backend.respond = () => (reply && typeof reply === 'object' && ('body' in reply || 'status' in reply || 'delayMs' in reply || 'destroy' in reply) ? (reply as Reply) : { body: reply });
  };

  before(async () => {
    await backend.start();
    node = await startNode({ PARLEY_CALLBACK_URL: backend.url, PARLEY_CALLBACK_TOKEN: 'tok-123' });
  });
  after(async () => {
    await node?.stop();
    await backend.stop();
  });
  beforeEach(() => {
    backend.received.length = 0;
    answer(OK);
  });

  describe('the request', () => {
    it('is a POST to the URL with SdkAppid, CallbackCommand, contenttype, ClientIP, OptPlatform, RequestTime and Sign', async () => {
      const t0 = Math.floor(Date.now() / 1000);
      await ask(C2C, sendBody, { platform: 'Android', clientIp: '10.1.2.3' });
      const [r] = backend.received;
      expect(r.path).to.equal('/im/callback');
      expect(Object.keys(r.query)).to.deep.equal(['SdkAppid', 'CallbackCommand', 'contenttype', 'ClientIP', 'OptPlatform', 'RequestTime', 'Sign']);
      expect(r.query).to.include({ SdkAppid: String(SDKAPPID), CallbackCommand: C2C, contenttype: 'json', ClientIP: '10.1.2.3', OptPlatform: 'Android' });
      expect(Number(r.query.RequestTime)).to.be.within(t0, t0 + 2);
      expect(r.query.Sign).to.equal(crypto.createHash('sha256').update(`tok-123${r.query.RequestTime}`).digest('hex'));
    });

    it('carries the documented body with CallbackCommand first', async () => {
      await ask(C2C);
      const { body } = backend.received[0];
      expect(Object.keys(body)[0]).to.equal('CallbackCommand');
      expect(body).to.deep.include({ ...sendBody, CallbackCommand: C2C });
    });

    it('is unsigned when the app has no token', async () => {
      await node.configure({ token: '' });
      try {
        await ask(C2C);
        expect(backend.received[0].query).to.not.have.any.keys('RequestTime', 'Sign');
        expect(backend.received[0].query.OptPlatform).to.equal('RESTAPI');
      } finally {
        await node.configure({ token: 'tok-123' });
      }
    });

    it('is sent for every before CallbackCommand of the catalogue', async () => {
      const commands = Object.entries(CALLBACK_COMMANDS).filter(([, family]) => family !== 'after').map(([c]) => c);
      for (const command of commands) expect((await ask(command, { Probe: command })).verdict, command).to.equal('allow');
      expect(backend.received.map((r) => [r.query.CallbackCommand, r.body.CallbackCommand, r.body.Probe])).to.deep.equal(commands.map((c) => [c, c, c]));
    });
  });

  describe('C2C before-send', () => {
    const cases: [string, unknown, Partial<Verdict>][] = [
      ['ErrorCode 0 allows', OK, { verdict: 'allow', via: 'backend' }],
      ['ErrorCode 1 rejects with 20006', { ...OK, ErrorCode: 1, ErrorInfo: 'no' }, { verdict: 'reject', code: 20006, info: 'no' }],
      ['ErrorCode 2 drops silently', { ...OK, ErrorCode: 2 }, { verdict: 'drop' }],
      ['a custom code in [120001, 130000] reaches the sender with its info', { ...OK, ErrorCode: 120500, ErrorInfo: 'spam' }, { verdict: 'reject', code: 120500, info: 'spam' }],
      ['an out-of-range code rejects with 20006', { ...OK, ErrorCode: 10100, ErrorInfo: 'x' }, { verdict: 'reject', code: 20006 }],
    ];
    for (const [what, reply, expected] of cases) {
      it(what, async () => {
        answer(reply);
        expect(await ask(C2C)).to.deep.include(expected);
      });
    }

    it('replaces MsgBody and CloudCustomData when the answer carries them', async () => {
      const MsgBody = [{ MsgType: 'TIMTextElem', MsgContent: { Text: '***' } }];
      answer({ ...OK, MsgBody, CloudCustomData: 'checked' });
      expect(await ask(C2C)).to.deep.equal({ verdict: 'allow', via: 'backend', replace: { MsgBody, CloudCustomData: 'checked' } });
    });

    it('ignores a malformed replacement and sends the original', async () => {
      answer({ ...OK, MsgBody: [{ MsgType: 5 }], CloudCustomData: 7 });
      expect(await ask(C2C)).to.deep.equal({ verdict: 'allow', via: 'backend' });
    });

    it('is not asked when ForbidCallbackControl forbids the before-send callback', async () => {
      expect(await ask(C2C, sendBody, { forbid: ['ForbidBeforeSendMsgCallback'] })).to.deep.equal({ verdict: 'allow', via: 'forbidden' });
      expect(backend.received).to.have.length(0);
    });
  });

  describe('group and friend gates', () => {
    const cases: [string, string, unknown, Partial<Verdict>][] = [
      ['group before-send: 1 rejects with 10016', GROUP, { ...OK, ErrorCode: 1 }, { verdict: 'reject', code: 10016 }],
      ['group before-send: 2 drops', GROUP, { ...OK, ErrorCode: 2 }, { verdict: 'drop' }],
      ['group before-send: custom [10100, 10200] passes through', GROUP, { ...OK, ErrorCode: 10150, ErrorInfo: 'muted' }, { verdict: 'reject', code: 10150, info: 'muted' }],
      ['group before-send: a C2C-range code rejects with 10016', GROUP, { ...OK, ErrorCode: 120001 }, { verdict: 'reject', code: 10016 }],
      ['before create group: 1 rejects with 10016', 'Group.CallbackBeforeCreateGroup', { ...OK, ErrorCode: 1 }, { verdict: 'reject', code: 10016 }],
      ['before create group: 2 is no drop but a refusal', 'Group.CallbackBeforeCreateGroup', { ...OK, ErrorCode: 2 }, { verdict: 'reject', code: 10016 }],
      ['before apply to join: custom code passes through', 'Group.CallbackBeforeApplyJoinGroup', { ...OK, ErrorCode: 10101 }, { verdict: 'reject', code: 10101 }],
      ['before invite: refused members are listed', 'Group.CallbackBeforeInviteJoinGroup', { ...OK, RefusedMembers_Account: ['carol', 7] }, { verdict: 'allow', refused: ['carol'] }],
      ['chatbot signalling: RspData is forwarded', 'Chatbot.OnC2CSignalMessage', { ...OK, RspData: 'pong' }, { verdict: 'allow', rspData: 'pong' }],
      ['chatbot signalling: ErrorCode 1 ignores RspData', 'Chatbot.OnC2CSignalMessage', { ...OK, ErrorCode: 1, RspData: 'pong' }, { verdict: 'allow' }],
    ];
    for (const [what, command, reply, expected] of cases) {
      it(what, async () => {
        answer(reply);
        const verdict = await ask(command);
        expect(verdict).to.deep.include(expected);
        if (expected.verdict === 'allow' && !('rspData' in expected)) expect(verdict).to.not.have.property('rspData');
      });
    }

    it('friend add: each ResultItem decides for its target; out-of-range codes refuse with 38000', async () => {
      answer({
        ...OK,
        ErrorCode: 9, // the envelope's code is ignored
        ResultItem: [
          { To_Account: 'bob', ResultCode: 0, ResultInfo: '' },
          { To_Account: 'carol', ResultCode: 38123, ResultInfo: 'minor' },
          { To_Account: 'dave', ResultCode: 30539, ResultInfo: 'sneaky' },
        ],
      });
      const verdict = await ask('Sns.CallbackPrevFriendAdd', { Requester_Account: 'alice', From_Account: 'alice', FriendItem: [] });
      expect(verdict).to.deep.include({
        verdict: 'allow',
        results: [
          { To_Account: 'bob', ResultCode: 0, ResultInfo: '' },
          { To_Account: 'carol', ResultCode: 38123, ResultInfo: 'minor' },
          { To_Account: 'dave', ResultCode: 38000, ResultInfo: 'sneaky' },
        ],
      });
    });

    it('friend response: a ResultItem that is not a list counts as no answer', async () => {
      answer({ ...OK, ResultItem: 'bob' });
      expect(await ask('Sns.CallbackPrevFriendResponse', {})).to.deep.equal({ verdict: 'allow', via: 'bad-answer' });
    });
  });

  describe('when the backend fails', () => {
    const failures: [string, Reply, string][] = [
      ['an answer that is not JSON', { body: '<html>busy</html>' }, 'bad-answer'],
      ['an ErrorCode of the wrong type', { body: { ...OK, ErrorCode: '1' } }, 'bad-answer'],
      ['an answer that is a JSON array', { body: '[1]' }, 'bad-answer'],
      ['HTTP 500', { status: 500 }, 'bad-answer'],
      ['a dropped connection', { destroy: true }, 'unreachable'],
    ];
    for (const [what, reply, via] of failures) {
      it(`lets the send proceed after ${what}`, async () => {
        answer(reply);
        expect(await ask(C2C)).to.deep.equal({ verdict: 'allow', via });
      });
    }

    it('lets the send proceed after the timeout, without waiting for the answer', async () => {
      await node.configure({ timeoutMs: 200 });
      try {
        answer({ delayMs: 1000, body: { ...OK, ErrorCode: 1 } });
        const t0 = Date.now();
        expect(await ask(C2C)).to.deep.equal({ verdict: 'allow', via: 'timeout' });
        expect(Date.now() - t0).to.be.within(180, 600);
      } finally {
        await node.configure({ timeoutMs: 2000 });
      }
    });

    it('rejects on timeout with the generic code when the app chose that policy', async () => {
      await node.configure({ timeoutMs: 150, beforeTimeoutPolicy: 'reject' });
      try {
        answer({ delayMs: 600 });
        expect(await ask(GROUP)).to.deep.include({ verdict: 'reject', via: 'timeout', code: 10016 });
      } finally {
        await node.configure({ timeoutMs: 2000, beforeTimeoutPolicy: 'allow' });
      }
    });

    it('lets the send proceed when nothing listens at the URL', async () => {
      await node.configure({ url: `http://127.0.0.1:${await freePort()}/gone` });
      try {
        expect(await ask(C2C)).to.deep.equal({ verdict: 'allow', via: 'unreachable' });
      } finally {
        await node.configure({ url: backend.url });
      }
    });
  });

  describe('switched off', () => {
    it('asks nothing for a command that is not enabled', async () => {
      await node.configure({ commands: ['Group.CallbackBeforeSendMsg'] });
      try {
        expect(await ask(C2C)).to.deep.equal({ verdict: 'allow', via: 'off' });
        expect(await ask(GROUP)).to.deep.include({ via: 'backend' });
        expect(backend.received.map((r) => r.query.CallbackCommand)).to.deep.equal([GROUP]);
      } finally {
        await node.configure({ commands: ['*'] });
      }
    });

    it('asks nothing when the app has no URL', async () => {
      await node.configure({ url: '' });
      try {
        expect(await callBefore(node.broker, { app: SDKAPPID, command: C2C, body: sendBody })).to.deep.equal({ verdict: 'allow', via: 'off' });
        expect(backend.received).to.have.length(0);
      } finally {
        await node.configure({ url: backend.url });
      }
    });

    it('refuses an after-callback name or an unknown command on the before action', async () => {
      const err = (await ask('C2C.CallbackAfterSendMsg').catch((e: Error) => e)) as Error;
      expect(err).to.be.instanceOf(Error).with.property('message').that.matches(/not a before-callback/);
    });
  });
});
