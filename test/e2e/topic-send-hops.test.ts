/**
 * "A permission check costs no extra actor hop on the send path" (issue 18): a member's message
 * into a Community topic with permission groups on is decided by one command of the community's
 * actor, which holds the members, the permission groups and the topic masks in its own state.
 *
 * How it is measured: every command any group actor decides goes through the group kind's
 * `decide` (runtime/host.ts calls `kind.decide` for each command of a mailbox, whichever way the
 * command arrived: the router's local call, a `dispatch` over the transporter, or the groups
 * service's own calls on the owner node). The test wraps that function on the running node and
 * records each command decided for the community while one send is in flight, from the frame
 * going out to its answer. A permission lookup made as an actor call of its own (a `view`, a
 * `viewPermissionGroups`) would show up as a second command. An actor of another kind (a
 * permission actor, the sender's user actor) is asked through the node's actor router
 * (runtime/moleculer/router.ts `call`, the one way `actorCall` reaches any actor, here or on
 * another node): the test records those calls too, and the send is the only one. It also records
 * the broker's calls: the command's own action (`groups.sendMessage`) is the only groups call, and
 * no actor host is called by `dispatch`. Warm-up: the
 * first send of a group on a node also reads the group's type (a `view` for the before-send
 * callback's body, another for the live-room check), each cached for good after, and a user's
 * first send on a node reads their profile from their user actor (cached a minute); the test
 * measures the sends after those. Measured in embedded mode; the count does not depend on the
 * transporter, since a command decided on another node passes through the same function there.
 */
import { expect } from 'chai';
import { groupKind, type GroupCommand, type GroupState } from '../../actors/group';
import { routerOf } from '../../runtime/moleculer/router';
import { FrameClient, startParley, type Parley } from './ws-harness';

type Answer = Record<string, unknown> & { ErrorCode: number; ErrorInfo: string };
const G = 'group_open_http_svc';
const M = 'million_group_open_http_svc';
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

describe('topic send with permission groups: one actor command per send (e2e)', function () {
  this.timeout(30_000);
  let parley: Parley;
  let community = '';
  let topic = '';
  let speaker: FrameClient;
  let silent: FrameClient;
  const decide = groupKind.decide;
  let recording: string[] | undefined;
  const call = (cmd: string, body: object) => parley.rest<Answer>(cmd, body);
  const ok = (a: Answer) => expect(a.ErrorCode, a.ErrorInfo).to.equal(0);

  let calls: string[] | undefined;
  let routed: string[] | undefined;

  /**
   * The commands the community's actor decided while `c` sent one message into the topic, the
   * Moleculer calls made meanwhile (`broker.call`, which `ctx.call` goes through too), and the answer.
   */
  async function measuredSend(c: FrameClient, random: number): Promise<{ commands: string[]; calls: string[]; routed: string[]; code: number }> {
    recording = [];
    calls = [];
    routed = [];
    try {
      const reply = await c.request(`${G}.send_group_msg`, { GroupId: community, TopicId: topic, Random: random, MsgBody: text(`m${random}`) });
      return { commands: recording, calls, routed, code: reply.ErrorCode as number };
    } finally {
      recording = undefined;
      calls = undefined;
      routed = undefined;
    }
  }

  before(async () => {
    parley = await startParley({}, 1400000000 + Math.floor(Math.random() * 1e8));
    ok(await call('im_open_login_svc/multiaccount_import', { Accounts: ['howner', 'hspeaker', 'hsilent'] }));
    const created = await call(`${G}/create_group`, { Owner_Account: 'howner', Type: 'Community', Name: 'hops', SupportTopic: 1, MemberList: [{ Member_Account: 'hspeaker' }, { Member_Account: 'hsilent' }] });
    ok(created);
    community = created.GroupId as string;
    topic = (await call(`${M}/create_topic`, { GroupId: community, TopicId: `${community}@TOPIC#_hops`, TopicName: 'hops' })).TopicId as string;
    ok(await call(`${G}/modify_group_base_info`, { GroupId: community, EnablePermission: 1, DefaultPermission: 0 }));
    const pg = await call(`${G}/create_permission_group`, { GroupId: community, PermissionGroupName: 'speakers', Permission: 0 });
    ok(pg);
    ok(await call(`${G}/add_permission_group_member`, { GroupId: community, PermissionGroupId: pg.PermissionGroupId, MemberList: ['hspeaker'] }));
    // SendTopicMessage (topic bit 3) in this topic only.
    ok(await call(`${G}/add_topic_permission_group`, { GroupId: community, PermissionGroupId: pg.PermissionGroupId, TopicPermission: [{ TopicId: topic, Permission: 8 }] }));
    [speaker, silent] = [await FrameClient.open(parley), await FrameClient.open(parley)];
    await speaker.login(parley, 'hspeaker');
    await silent.login(parley, 'hsilent');
    groupKind.decide = (state: GroupState, command: GroupCommand) => {
      if (recording && state.id === community) recording.push(command.op);
      return decide(state, command);
    };
    const router = routerOf(parley.broker);
    const route = router.call.bind(router);
    router.call = <R>(service: string, key: string, command: object, options?: object) => {
      routed?.push(`${service} ${key} ${(command as { op?: string }).op ?? '?'}`);
      return route<R>(service, key, command, options);
    };
    const original = parley.broker.call.bind(parley.broker) as (name: string, ...rest: unknown[]) => unknown;
    (parley.broker as unknown as { call: typeof original }).call = (name, ...rest) => {
      calls?.push(name);
      return original(name, ...rest);
    };
    // Warm-up: the node reads the group's type once, on its first send.
    const warm = await measuredSend(speaker, 1);
    expect(warm.code).to.equal(0);
    // The instrument sees commands other than the send: here the type reads (`view`) of the first send.
    expect(warm.commands).to.include('view');
    expect(warm.commands.filter((op) => op !== 'view')).to.deep.equal(['send']);
    // A user's first send on a node reads their profile from their user actor (cached a minute, services/groups/senders.ts).
    const first = await measuredSend(silent, 100);
    expect(first.code).to.equal(10007);
    expect(first.routed).to.include(`accounts ${parley.sdkAppId}:hsilent get`);
  });
  after(async () => {
    groupKind.decide = decide;
    speaker?.close();
    silent?.close();
    await parley?.stop();
  });

  it('decides each allowed send with exactly one command of the community actor: the send', async () => {
    for (let i = 2; i <= 6; i++) {
      const { commands, calls: made, routed: actorCalls, code } = await measuredSend(speaker, i);
      expect(code).to.equal(0);
      expect(commands).to.deep.equal(['send']);
      expect(actorCalls, 'actor calls of any kind').to.deep.equal([`groups ${parley.sdkAppId}:${community} send`]);
      // No call reaches a group actor's host over the broker, nor any other groups action but the command itself.
      expect(made.filter((name) => name.startsWith('groups.') || name.endsWith('.dispatch'))).to.deep.equal(['groups.sendMessage']);
    }
  });

  it('refuses a member without the permission (10007) within that same single command', async () => {
    const { commands, routed: actorCalls, code } = await measuredSend(silent, 7);
    expect(code).to.equal(10007);
    expect(commands).to.deep.equal(['send']);
    expect(actorCalls).to.deep.equal([`groups ${parley.sdkAppId}:${community} send`]);
  });
});
