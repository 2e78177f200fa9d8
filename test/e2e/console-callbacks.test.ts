/**
 * A change made through the console's API is what the node then does: callbacks go to the
 * new URL, signed with the new token, for the commands enabled and no others. The app
 * backend is a real HTTP server (TestBackend); the callback is caused over REST.
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import { TestBackend } from '../support/backend';
import { consoleCall } from '../support/console';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded, type RestClient } from '../support/embedded';

const PORTRAIT = 'Profile.CallbackPortraitSet';
const TOKEN = 'console-set-token';

describe('console changes take effect (e2e)', function () {
  this.timeout(30_000);
  const first = new TestBackend();
  const second = new TestBackend();
  let server: Embedded;
  let rest: RestClient;
  const setNick = async (user: string, nick: string) => {
    const answer = await rest.call('profile/portrait_set', { From_Account: user, ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: nick }] });
    expect(answer.ErrorCode, answer.ErrorInfo).to.equal(0);
  };
  const nicks = (backend: TestBackend, user: string) =>
    backend
      .of(PORTRAIT)
      .filter((r) => r.body.From_Account === user)
      .map((r) => (r.body.ProfileItem as { Value: string }[])[0].Value);
  const change = async (body: object) => {
    const answer = await consoleCall(server, 'PATCH', { body });
    expect(answer.status, answer.raw).to.equal(200);
  };

  before(async () => {
    await Promise.all([first.start(), second.start()]);
    // The first start's callback settings come from PARLEY_CALLBACK_URL, as in production.
    server = await startEmbedded({ services: [...REST_SERVICES, 'profiles', 'webhooks'], env: { PARLEY_CALLBACK_URL: first.url } });
    rest = adminRest(server);
    const imported = await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] });
    expect(imported.ErrorCode, imported.ErrorInfo).to.equal(0);
  });
  after(async () => {
    await server?.stop();
    await Promise.all([first.stop(), second.stop()]);
  });

  it('sends callbacks to the URL the console set, signed with the token it set', async () => {
    await setNick('alice', 'before');
    await first.waitFor(() => nicks(first, 'alice').includes('before'), 'the callback to the first URL');
    expect(first.of(PORTRAIT)[0].query).not.to.have.property('Sign');

    await change({ url: second.url, token: TOKEN });
    await setNick('alice', 'after');
    await second.waitFor(() => nicks(second, 'alice').includes('after'), 'the callback to the URL set in the console');
    const request = second.of(PORTRAIT).find((r) => r.body.From_Account === 'alice')!;
    expect(request.query.Sign).to.equal(crypto.createHash('sha256').update(`${TOKEN}${request.query.RequestTime}`).digest('hex'));
    expect(nicks(first, 'alice')).to.deep.equal(['before']);
  });

  it('sends only the commands the console left enabled', async () => {
    await change({ url: second.url, commands: ['State.StateChange'] });
    await setNick('bob', 'not sent');
    await change({ commands: ['State.StateChange', PORTRAIT] });
    await setNick('bob', 'sent');
    // Callbacks of one user arrive in order: had the first been queued, it would come first.
    await second.waitFor(() => nicks(second, 'bob').includes('sent'), 'the callback of the re-enabled command');
    expect(nicks(second, 'bob')).to.deep.equal(['sent']);
  });

  it('turns callbacks off with an empty URL', async () => {
    await change({ url: '', commands: ['*'] });
    await setNick('bob', 'off');
    await change({ url: second.url });
    await setNick('bob', 'on again');
    await second.waitFor(() => nicks(second, 'bob').includes('on again'), 'the callback after turning them on again');
    expect(nicks(second, 'bob')).to.deep.equal(['sent', 'on again']);
  });
});
