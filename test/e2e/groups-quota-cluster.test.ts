/**
 * The daily group quota across a cluster (two nodes over NATS and PostgreSQL, child processes):
 * creates arriving at both nodes at once stop exactly at the app's quota, since every node asks
 * the app's one quota actor of the day, and a disbanding on either node frees a place.
 */
import { expect } from 'chai';
import { GatewayCluster } from '../support/gateway-cluster';
import { until } from './ws-harness';

const NODES = ['q1', 'q2'];
const G = 'group_open_http_svc';
const QUOTA = 6;

describe('the daily group quota on two nodes', function () {
  this.timeout(60_000);
  const cluster = new GatewayCluster(NODES, 'gquota');
  const create = (nodeID: string) => cluster.rest<{ ErrorCode: number; GroupId?: string }>(nodeID, `${G}/create_group`, { Owner_Account: 'qboss', Type: 'Work', Name: 'q' });

  before(async () => {
    await cluster.start(['groups', 'apps']);
    expect((await cluster.rest('q1', 'im_open_login_svc/multiaccount_import', { Accounts: ['qboss'] })).ErrorCode).to.equal(0);
    await cluster.client.call('apps.update', { sdkAppId: cluster.sdkAppId, settings: { groups: { dailyNewGroups: QUOTA } } }, { nodeID: 'q1' });
    // Each node judges by its own app directory: wait until both have the new quota.
    await until(
      'both nodes to know the quota',
      async () => {
        const apps = await Promise.all(NODES.map((nodeID) => cluster.client.call<{ settings?: { groups?: { dailyNewGroups?: number } } } | null, object>('apps.get', { sdkAppId: cluster.sdkAppId }, { nodeID })));
        return apps.every((a) => a?.settings?.groups?.dailyNewGroups === QUOTA);
      },
      15_000,
    );
  });
  after(() => cluster.stop());

  it('lets exactly the quota through from both nodes at once, and frees a place on a disbanding', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => create(NODES[i % 2])));
    const created = answers.filter((a) => a.ErrorCode === 0);
    expect(created).to.have.length(QUOTA);
    expect(answers.filter((a) => a.ErrorCode !== 0).map((a) => a.ErrorCode)).to.deep.equal([10036, 10036, 10036, 10036]);
    expect((await cluster.rest('q2', `${G}/destroy_group`, { GroupId: created[0].GroupId })).ErrorCode).to.equal(0);
    expect((await create('q1')).ErrorCode).to.equal(0);
    expect((await create('q2')).ErrorCode).to.equal(10036);
  });
});
