/**
 * The group fan-out queue (services/groups/delivery.ts) with what reaction changes add to it: while
 * one fan-out is on the wire the next ones queue; then each `lead` push (the acting user's own
 * notify) leaves before the merged frame of its batch, and that frame carries each reaction's
 * latest summary once. A Moleculer broker with no transporter; its presence and connector
 * services only say where members are and record what was written.
 */
import { expect } from 'chai';
import { ServiceBroker, type Context } from 'moleculer';
import { deliverInOrder } from '../../../services/groups/delivery';

const members = ['a', 'b', 'c'];
const PUSH = 'im_open_push.msg_push';
type Written = { users: string[]; events: Record<string, unknown>[] };

describe('group fan-out order with lead and replacing pushes', () => {
  let broker: ServiceBroker;
  const written: Written[] = [];
  let hold: Promise<void> | undefined;
  let release = () => {};
  let onWrite = () => {};

  before(async () => {
    broker = new ServiceBroker({ logger: false, nodeID: 'delivery-order' });
    const placement = async (_app: number, users: string[]) => new Map([[broker.nodeID, users]]);
    broker.createService({ name: 'presence', created() { Object.assign(this, { directory: { placement } }); } });
    broker.createService({
      name: 'connector',
      actions: {
        async pushMany(ctx: Context<{ userIds: string[]; body: { EventArray: Record<string, unknown>[] } }>) {
          written.push({ users: ctx.params.userIds, events: ctx.params.body.EventArray });
          onWrite();
          const wait = hold;
          hold = undefined;
          await wait;
          return ctx.params.userIds.length;
        },
      },
    });
    await broker.start();
  });
  after(() => broker.stop());

  const summary = (reaction: string, count: number) => ({ users: members, servcmd: PUSH, body: { EventArray: [{ Event: 23, MsgReactionNotifyList: [{ Reaction: reaction, Count: count }] }] }, replaces: `r\n1\n${reaction}` });
  const notify = (user: string, reaction: string) => ({ users: [user], servcmd: PUSH, body: { EventArray: [{ Event: 23, MsgReactionNotify: { Reaction: reaction } }] }, lead: true });
  const brief = (w: Written) => `${w.users.join('')}:${w.events.map((e) => JSON.stringify(e.MsgReactionNotifyList ?? e.MsgReactionNotify ?? e.Msg)).join(',')}`;

  it('sends the queued notifies first, then one frame with the latest summary of each reaction', async () => {
    hold = new Promise((resolve) => (release = resolve));
    const onWire = new Promise<void>((resolve) => (onWrite = resolve));
    const first = deliverInOrder(broker, 1, 'g', [{ users: members, servcmd: PUSH, body: { EventArray: [{ Event: 3, Msg: 1 }] } }]);
    await onWire;
    const queued = [
      deliverInOrder(broker, 1, 'g', [notify('a', 'like'), summary('like', 1)]),
      deliverInOrder(broker, 1, 'g', [notify('b', 'heart'), summary('heart', 1)]),
      deliverInOrder(broker, 1, 'g', [notify('c', 'like'), summary('like', 2)]),
    ];
    expect(written).to.have.length(1);
    release();
    await Promise.all([first, ...queued]);
    const frames = written.map(brief);
    expect(frames[0]).to.equal('abc:1');
    // Notifies to different users go out side by side: any order among them.
    expect(frames.slice(1, 4).sort()).to.deep.equal(['a:{"Reaction":"like"}', 'b:{"Reaction":"heart"}', 'c:{"Reaction":"like"}']);
    expect(frames.slice(4)).to.deep.equal(['abc:[{"Reaction":"like","Count":2}],[{"Reaction":"heart","Count":1}]']);
  });
});
