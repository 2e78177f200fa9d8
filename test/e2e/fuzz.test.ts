/**
 * The fuzz suite, short (bench/fuzz.ts runs the long one): a few hundred seeded cases against
 * an embedded node in a child process — mutated bodies of every served command, raw bodies,
 * mutated query strings, paths and methods, malformed WebSocket frames, logins and upgrades —
 * with no HTTP 5xx, no internal-error code, no hang, no crash, bounded memory. Then the faults
 * the long runs found, one test each.
 */
import net from 'node:net';
import { expect } from 'chai';
import { runFuzz } from '../../bench/faults/fuzz-run';
import { FrameClient, startParley, type Parley } from './ws-harness';

/** A fixed seed, so a failure here reproduces with `npm run fuzz -- --seed 20261203 --only <case>`. */
const SEED = 20261203;

describe('fuzz (e2e)', function () {
  this.timeout(90_000);

  it('answers 600 seeded malformed requests, frames and upgrades without a 5xx, an internal error, a hang or a crash', async () => {
    const report = await runFuzz({ seed: SEED, cases: 600, concurrency: 4 });
    const failures = report.failures.map((f) => `case ${f.index} (${f.kind}): ${f.why} — ${f.note}`);
    expect(report.crash, 'the node crashed').to.equal(undefined);
    expect(failures).to.deep.equal([]);
    expect(report.cases).to.equal(600);
    expect(report.memory.bounded, JSON.stringify(report.memory)).to.equal(true);
    // An unexpected exception anywhere is logged at error level, even one that reached no caller.
    expect(report.nodeErrorLines, report.firstNodeErrors.join('\n')).to.equal(0);
    // The cases reach the commands, not only the first checks: some succeed, some are refused by the domain.
    const answered = new Map(report.answers);
    expect(answered.get('REST 0') ?? 0, 'REST calls that succeeded').to.be.above(20);
    expect(answered.get('WS 0') ?? 0, 'frames that succeeded').to.be.above(5);
  });

  describe('faults the fuzz found', () => {
    let parley: Parley;
    const rest = <T = { ErrorCode: number; ErrorInfo: string }>(command: string, body: object) => parley.rest<T>(command, body);

    before(async () => {
      parley = await startParley({}, 1400000077);
      expect((await rest('im_open_login_svc/multiaccount_import', { Accounts: ['fza', 'fzb'] })).ErrorCode).to.equal(0);
    });
    after(() => parley?.stop());

    it('survives an upgrade request whose target is not a parsable URL, answering 400', async () => {
      // `new URL('//a:99999/binfo', base)` throws; it used to throw inside the HTTP parser's callback and end the process.
      const status = await rawUpgrade(parley.port, `//a:99999/binfo?sdkappid=${parley.sdkAppId}&instanceid=abc`);
      expect(status).to.equal('HTTP/1.1 400 Bad Request');
      const c = await FrameClient.open(parley);
      expect((await c.request('heartbeat.alive')).ErrorCode).to.equal(0);
      c.close();
    });

    it('answers an upgrade to a path it does not serve with 404 instead of leaving the socket open', async () => {
      expect(await rawUpgrade(parley.port, '/healthz')).to.equal('HTTP/1.1 404 Not Found');
    });

    it('refuses a field holding an object that cannot become text with the invalid-parameter code, not an internal error', async () => {
      // fastest-validator printed the value into its error message and threw a TypeError doing so.
      const answer = await rest('sns/friend_check', { From_Account: 'fza', To_Account: ['fzb', { toString: 1 }], CheckType: 'CheckResult_Type_Both' });
      expect(answer.ErrorCode, answer.ErrorInfo).to.equal(30001);
      const group = await rest('group_open_http_svc/change_group_owner', { GroupId: [{ valueOf: 1, toString: 2 }], NewOwner_Account: 'fzb' });
      expect(group.ErrorCode, group.ErrorInfo).to.equal(10004);
    });

    it('lists an account item that cannot become text in FailAccounts instead of failing the batch', async () => {
      const answer = await rest<{ ErrorCode: number; ErrorInfo: string; FailAccounts: string[] }>('im_open_login_svc/multiaccount_import', { Accounts: ['fzc', { toString: 1 }] });
      expect(answer.ErrorCode, answer.ErrorInfo).to.equal(0);
      expect(answer.FailAccounts).to.deep.equal(['{"toString":1}']);
    });

    it('refuses a MsgType that names a property every object has as an unknown element type', async () => {
      for (const MsgType of ['__proto__', 'constructor', 'toString']) {
        const answer = await rest('openim/sendmsg', { From_Account: 'fza', To_Account: 'fzb', MsgRandom: 1, MsgBody: [{ MsgType, MsgContent: { Text: 'x' } }] });
        expect(answer.ErrorCode, `${MsgType}: ${answer.ErrorInfo}`).to.equal(90010);
      }
    });

    it('takes null in an optional field as the field being absent', async () => {
      const created = await rest<{ ErrorCode: number; GroupId: string }>('group_open_http_svc/create_group', { Owner_Account: 'fza', Type: 'Public', Name: 'nulls' });
      expect(created.ErrorCode).to.equal(0);
      const modified = await rest('group_open_http_svc/modify_group_base_info', { GroupId: created.GroupId, HistoryMsgBeforeJoin: null, FaceUrl: null, Notification: 'kept' });
      expect(modified.ErrorCode, modified.ErrorInfo).to.equal(0);
      const info = await rest<{ ErrorCode: number; GroupInfo: { Notification: string; FaceUrl: string }[] }>('group_open_http_svc/get_group_info', { GroupIdList: [created.GroupId] });
      expect(info.GroupInfo[0]).to.include({ Notification: 'kept', FaceUrl: '' });
      const listed = await rest('sns/group_add', { From_Account: 'fza', GroupName: ['friends'] });
      expect(listed.ErrorCode, listed.ErrorInfo).to.equal(0);
      const update = await rest('sns/group_update', { From_Account: 'fza', GroupOldName: 'friends', GroupNewName: null });
      expect(update.ErrorCode, update.ErrorInfo).to.equal(0);
    });
  });
});

/** Writes an upgrade request as raw HTTP (a client library would not send these targets); resolves with the status line. */
function rawUpgrade(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to the upgrade of ${target}`));
    }, 5000);
    socket.on('connect', () =>
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`),
    );
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer.split('\r\n')[0]);
      }
    });
    socket.on('error', reject);
  });
}
