/**
 * A Community's topic callbacks against a live backend: the before-create callback that may
 * refuse a topic (nothing stored then), and the after-callbacks of a topic created, changed and
 * destroyed, with Tencent's fields, in the order of the operations.
 */
import { expect } from 'chai';
import { OK, TestBackend, callbackFields as fields } from '../support/backend';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded, type RestClient } from '../support/embedded';

const M = 'million_group_open_http_svc';


describe('Community topic callbacks (e2e)', function () {
  this.timeout(30_000);
  const backend = new TestBackend();
  let server: Embedded;
  let rest: RestClient;
  let admin: string;
  let community: string;
  const call = async (command: string, body: object) => {
    const answer = await rest.call(command, body);
    expect(answer.ErrorCode, `${command}: ${answer.ErrorInfo}`).to.equal(0);
    return answer;
  };
  const of = (command: string) => backend.received.filter((r) => r.query.CallbackCommand === command && r.body.GroupId === community);
  const topics = async () => ((await call(`${M}/get_topic`, { GroupId: community })).TopicAndSelfInfo as { TopicInfo: { TopicId: string } }[]).map((t) => t.TopicInfo.TopicId);

  before(async () => {
    await backend.start();
    backend.respond = () => ({ body: OK });
    server = await startEmbedded({ services: [...REST_SERVICES, 'groups', 'webhooks', 'connector'], env: { PARLEY_CALLBACK_URL: backend.url } });
    rest = adminRest(server);
    admin = server.app.admin;
    await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['cowner', 'cmember'] });
    community = (await call('group_open_http_svc/create_group', { Owner_Account: 'cowner', Type: 'Community', Name: 'town', SupportTopic: 1, MemberList: [{ Member_Account: 'cmember' }] })).GroupId as string;
  });
  afterEach(() => {
    backend.respond = () => ({ body: OK });
  });
  after(async () => {
    await server?.stop();
    await backend.stop();
  });

  it('asks the backend before a topic is created, then reports it created, changed and destroyed', async () => {
    const TopicId = (await call(`${M}/create_topic`, { GroupId: community, TopicName: 'news', Introduction: 'what happened' })).TopicId as string;
    expect(of('Group.CallbackBeforeCreateTopic').map(fields)).to.deep.equal([{ GroupId: community, Type: 'Community', Operator_Account: admin, TopicName: 'news' }]);
    await backend.waitFor(() => of('Group.CallbackAfterCreateTopic').length === 1, 'the created topic');
    expect(fields(of('Group.CallbackAfterCreateTopic')[0])).to.include({ GroupId: community, TopicId, Operator_Account: admin, TopicName: 'news', Introduction: 'what happened' });

    await call(`${M}/modify_topic`, { GroupId: community, TopicId, TopicName: 'News', Notification: 'read me' });
    await backend.waitFor(() => of('Group.CallbackAfterTopicInfoChanged').length === 1, 'the changed topic');
    expect(fields(of('Group.CallbackAfterTopicInfoChanged')[0])).to.include({ GroupId: community, TopicId, Operator_Account: admin, TopicName: 'News', Notification: 'read me' });

    await call(`${M}/destroy_topic`, { GroupId: community, TopicIdList: [TopicId] });
    await backend.waitFor(() => of('Group.CallbackAfterTopicDestroyed').length === 1, 'the destroyed topic');
    expect(fields(of('Group.CallbackAfterTopicDestroyed')[0])).to.deep.include({ GroupId: community, TopicIdList: [TopicId] });
    const order = backend.received.filter((r) => r.body.GroupId === community && /Topic/.test(r.query.CallbackCommand)).map((r) => r.query.CallbackCommand);
    expect(order).to.deep.equal(['Group.CallbackBeforeCreateTopic', 'Group.CallbackAfterCreateTopic', 'Group.CallbackAfterTopicInfoChanged', 'Group.CallbackAfterTopicDestroyed']);
  });

  it('creates no topic, and reports none, when the backend refuses it', async () => {
    backend.respond = (r) => ({ body: r.query.CallbackCommand === 'Group.CallbackBeforeCreateTopic' ? { ...OK, ErrorCode: 1 } : OK });
    const before = of('Group.CallbackAfterCreateTopic').length;
    const refused = await rest.call(`${M}/create_topic`, { GroupId: community, TopicName: 'refused' });
    expect(refused.ErrorCode).to.equal(10016);
    expect(await topics()).to.deep.equal([]);
    backend.respond = () => ({ body: OK });
    const TopicId = (await call(`${M}/create_topic`, { GroupId: community, TopicName: 'allowed' })).TopicId as string;
    await backend.waitFor(() => of('Group.CallbackAfterCreateTopic').length === before + 1, 'the allowed topic');
    expect(of('Group.CallbackAfterCreateTopic').map((r) => r.body.TopicName)).to.not.include('refused');
    expect(await topics()).to.deep.equal([TopicId]);
  });
});
