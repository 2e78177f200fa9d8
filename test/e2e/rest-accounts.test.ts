/**
 * The account commands driven from outside, as an app backend does: fetch, the admin's
 * UserSig in the URL (signed by test/support/tencent-sig.ts, not by the server's code).
 */
import { expect } from 'chai';
import { RestClient, startEmbedded, type Answer, type Embedded } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';

const IMPORT = 'im_open_login_svc/account_import';
const MULTI = 'im_open_login_svc/multiaccount_import';
const DELETE = 'im_open_login_svc/account_delete';
const CHECK = 'im_open_login_svc/account_check';
const KICK = 'im_open_login_svc/kick';
const ONLINE = 'openim/query_online_status';

function expectOk(answer: Answer): void {
  expect(answer, answer.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
}

function expectFail(answer: Answer, code: number): void {
  expect(answer).to.include({ ActionStatus: 'FAIL', ErrorCode: code });
  expect(answer.ErrorInfo).to.be.a('string').and.not.equal('');
}

describe('REST accounts (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  const sig = (userId: string, now?: number) => tencentUserSig({ sdkAppId: server.app.sdkAppId, key: server.app.secret, userId, now });

  const statusOf = async (...ids: string[]) => {
    const answer = await rest.call(CHECK, { CheckItem: ids.map((UserID) => ({ UserID })) });
    expectOk(answer);
    return (answer.ResultItem as { UserID: string; AccountStatus: string }[]).map((r) => r.AccountStatus);
  };

  before(async () => {
    server = await startEmbedded();
    rest = new RestClient(server.baseUrl, server.app, (userId) => sig(userId));
  });
  after(() => server?.stop());

  describe('account_import', () => {
    it('imports a UserID, which account_check then reports Imported', async () => {
      expect(await statusOf('alice')).to.deep.equal(['NotImported']);
      expectOk(await rest.call(IMPORT, { UserID: 'alice' }));
      expect(await statusOf('alice')).to.deep.equal(['Imported']);
    });

    it('accepts the legacy Identifier field', async () => {
      expectOk(await rest.call(IMPORT, { Identifier: 'legacy1' }));
      expect(await statusOf('legacy1')).to.deep.equal(['Imported']);
    });

    it('accepts Nick and FaceUrl, and a second import of the same UserID', async () => {
      expectOk(await rest.call(IMPORT, { UserID: 'nicked', Nick: 'Nick Name', FaceUrl: 'https://example.com/a.png' }));
      expectOk(await rest.call(IMPORT, { UserID: 'nicked', Nick: 'Other' }));
      expect(await statusOf('nicked')).to.deep.equal(['Imported']);
    });

    const invalid: [string, unknown][] = [
      ['a UserID over 32 bytes', { UserID: 'u'.repeat(33) }],
      ['a unicode UserID', { UserID: 'ユーザー' }],
      ['a UserID with special characters', { UserID: 'bad id!' }],
      ['a UserID that is a number', { UserID: 12345 }],
      ['an empty UserID', { UserID: '' }],
      ['a missing UserID', { Nick: 'nobody' }],
      ['a Nick over 500 bytes', { UserID: 'longnick', Nick: '名'.repeat(200) }],
      ['a FaceUrl that is not a string', { UserID: 'badface', FaceUrl: 7 }],
    ];
    for (const [what, body] of invalid) {
      it(`refuses ${what} with 70402 and imports nothing`, async () => {
        expectFail(await rest.call(IMPORT, body), 70402);
        const id = (body as { UserID?: unknown }).UserID;
        if (typeof id === 'string' && /^[A-Za-z0-9]{1,32}$/.test(id)) expect(await statusOf(id)).to.deep.equal(['NotImported']);
      });
    }

    it('accepts a UserID of exactly 32 bytes', async () => {
      expectOk(await rest.call(IMPORT, { UserID: 'x'.repeat(32) }));
    });
  });

  describe('multiaccount_import', () => {
    it('imports the Accounts form and lists invalid items in FailAccounts', async () => {
      const answer = await rest.call(MULTI, { Accounts: ['m1', 'm2', 'bad id', 'y'.repeat(33)] });
      expectOk(answer);
      expect(answer.FailAccounts).to.deep.equal(['bad id', 'y'.repeat(33)]);
      expect(await statusOf('m1', 'm2')).to.deep.equal(['Imported', 'Imported']);
    });

    it('imports the AccountList form with Nick and FaceUrl', async () => {
      const answer = await rest.call(MULTI, {
        AccountList: [{ UserID: 'l1', Nick: 'One' }, { UserID: 'l2', FaceUrl: 'https://example.com/2.png' }, { UserID: 'ü' }, { Nick: 'no id' }],
      });
      expectOk(answer);
      expect(answer.FailAccounts).to.have.length(2).and.include('ü');
      expect(await statusOf('l1', 'l2')).to.deep.equal(['Imported', 'Imported']);
    });

    it('refuses more than 100 accounts with 70402 and imports none of them', async () => {
      const ids = Array.from({ length: 101 }, (_, i) => `over${i}`);
      expectFail(await rest.call(MULTI, { Accounts: ids }), 70402);
      expect(await statusOf('over0', 'over100')).to.deep.equal(['NotImported', 'NotImported']);
    });

    it('refuses a body with neither Accounts nor AccountList with 70402', async () => {
      expectFail(await rest.call(MULTI, {}), 70402);
    });
  });

  describe('account_delete', () => {
    it('deletes imported accounts and reports 70107 per unknown one', async () => {
      expectOk(await rest.call(MULTI, { Accounts: ['d1', 'd2'] }));
      const answer = await rest.call(DELETE, { DeleteItem: [{ UserID: 'd1' }, { UserID: 'ghost' }, { UserID: 'd2' }] });
      expectOk(answer);
      expect(answer.ResultItem).to.deep.equal([
        { ResultCode: 0, ResultInfo: '', UserID: 'd1' },
        { ResultCode: 70107, ResultInfo: 'account not imported', UserID: 'ghost' },
        { ResultCode: 0, ResultInfo: '', UserID: 'd2' },
      ]);
      expect(await statusOf('d1', 'd2', 'ghost')).to.deep.equal(['NotImported', 'NotImported', 'NotImported']);
    });

    it('answers 70107 for an account deleted twice', async () => {
      expectOk(await rest.call(IMPORT, { UserID: 'twice' }));
      expectOk(await rest.call(DELETE, { DeleteItem: [{ UserID: 'twice' }] }));
      const answer = await rest.call(DELETE, { DeleteItem: [{ UserID: 'twice' }] });
      expect((answer.ResultItem as { ResultCode: number }[])[0].ResultCode).to.equal(70107);
    });

    it('refuses an empty or a missing DeleteItem with 70402', async () => {
      expectFail(await rest.call(DELETE, { DeleteItem: [] }), 70402);
      expectFail(await rest.call(DELETE, {}), 70402);
    });
  });

  describe('account_check', () => {
    it('reports Imported and NotImported per item, in request order', async () => {
      expectOk(await rest.call(IMPORT, { UserID: 'checked' }));
      const answer = await rest.call(CHECK, { CheckItem: [{ UserID: 'nobody' }, { UserID: 'checked' }] });
      expectOk(answer);
      expect(answer.ResultItem).to.deep.equal([
        { UserID: 'nobody', ResultCode: 0, ResultInfo: '', AccountStatus: 'NotImported' },
        { UserID: 'checked', ResultCode: 0, ResultInfo: '', AccountStatus: 'Imported' },
      ]);
    });

    it('refuses more than 100 items with 70402', async () => {
      expectFail(await rest.call(CHECK, { CheckItem: Array.from({ length: 101 }, (_, i) => ({ UserID: `c${i}` })) }), 70402);
    });

    it('answers exactly 100 items', async () => {
      const answer = await rest.call(CHECK, { CheckItem: Array.from({ length: 100 }, (_, i) => ({ UserID: `c${i}` })) });
      expectOk(answer);
      expect(answer.ResultItem).to.have.length(100);
    });
  });

  describe('kick', () => {
    it('voids the UserSigs issued before the kick and keeps those issued after it', async () => {
      const admin = server.app.admin;
      const old = sig(admin, Math.floor(Date.now() / 1000) - 5);
      expectOk(await rest.call(IMPORT, { UserID: admin }));
      expectOk(await rest.call(CHECK, { CheckItem: [{ UserID: admin }] }, { usersig: old }));
      expectOk(await rest.call(KICK, { UserID: admin }));
      expectFail(await rest.call(CHECK, { CheckItem: [{ UserID: admin }] }, { usersig: old }), 70001);
      expectOk(await rest.call(CHECK, { CheckItem: [{ UserID: admin }] }, { usersig: sig(admin) }));
    });

    it('accepts the legacy Identifier field', async () => {
      expectOk(await rest.call(IMPORT, { UserID: 'kicked' }));
      expectOk(await rest.call(KICK, { Identifier: 'kicked' }));
    });

    it('answers 70107 for an account never imported', async () => {
      expectFail(await rest.call(KICK, { UserID: 'stranger' }), 70107);
      expect(await statusOf('stranger')).to.deep.equal(['NotImported']);
    });

    it('refuses an invalid UserID with 70402', async () => {
      expectFail(await rest.call(KICK, { UserID: 'not valid' }), 70402);
    });
  });

  describe('query_online_status', () => {
    before(async () => {
      expectOk(await rest.call(MULTI, { Accounts: ['on1', 'on2'] }));
    });

    it('reports imported users without a device as Offline and unknown ones in ErrorList', async () => {
      const answer = await rest.call(ONLINE, { To_Account: ['on1', 'unknown1', 'on2'] });
      expectOk(answer);
      expect(answer.QueryResult).to.deep.equal([
        { To_Account: 'on1', Status: 'Offline' },
        { To_Account: 'on2', Status: 'Offline' },
      ]);
      expect(answer.ErrorList).to.deep.equal([{ To_Account: 'unknown1', ErrorCode: 70107 }]);
    });

    it('adds a Detail list per account when IsNeedDetail is 1', async () => {
      const answer = await rest.call(ONLINE, { To_Account: ['on1'], IsNeedDetail: 1 });
      expect(answer.QueryResult).to.deep.equal([{ To_Account: 'on1', Status: 'Offline', Detail: [] }]);
    });

    it('answers under the legacy name openim/querystate', async () => {
      const answer = await rest.call('openim/querystate', { To_Account: ['on2', 'nope'] });
      expectOk(answer);
      expect(answer.QueryResult).to.deep.equal([{ To_Account: 'on2', Status: 'Offline' }]);
      expect(answer.ErrorList).to.deep.equal([{ To_Account: 'nope', ErrorCode: 70107 }]);
    });

    it('refuses a missing To_Account or more than 500 accounts with 90001', async () => {
      expectFail(await rest.call(ONLINE, {}), 90001);
      expectFail(await rest.call(ONLINE, { To_Account: Array.from({ length: 501 }, (_, i) => `q${i}`) }), 90001);
    });
  });
});
