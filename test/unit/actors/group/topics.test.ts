/**
 * Topics of a Community in the community's actor: ids by the seed's rules, at most 200, and
 * per topic its own sequence, resend window, mutes, mute-all, read position and recall.
 */
import { expect } from 'chai';
import { groupKind, type GroupState, type HistoryWindow, type Outgoing, type SendResult, type TopicView } from '../../../../actors/group';
import { APP, apply, NOW, refusal, user } from './support';
import { community, GID, newTopic, sendIn, TOPIC, withTopic } from './community-support';

const create = (s: GroupState, id: string, generated = false, by = APP) => ({ op: 'createTopic' as const, by, topic: newTopic(id), generated, now: NOW });
const result = <R>(s: GroupState, c: Parameters<typeof groupKind.decide>[1]) => groupKind.decide(s, c).reply.result as R;
const viewOf = (s: GroupState, viewer = user('m')) => result<TopicView[]>(s, { op: 'viewTopics', viewer, topicIds: [TOPIC] })[0];

describe('group actor: topics of a Community', () => {
  it('creates topics with custom ids under the community, and refuses a used one', () => {
    const s = withTopic();
    expect(viewOf(s)).to.include({ id: TOPIC, name: 'general', lastSeq: 0 });
    expect(refusal(s, create(s, TOPIC))).to.equal(10021);
  });

  it('refuses custom ids that break the seed’s rules', () => {
    const s = community();
    for (const bad of ['other@TOPIC#_x', `${GID}@TOPIC#_`, `${GID}@TOPIC#_@TOPIC#mine`, `${GID}@TOPIC#_a@TGS#_b`, `${GID}@TOPIC#_é`, `${GID}@TOPIC#_${'x'.repeat(80)}`]) {
      expect(refusal(s, create(s, bad)), bad).to.equal(10015);
    }
  });

  it('takes generated ids only with the reserved @TOPIC#_@TOPIC# part', () => {
    const s = community();
    expect(refusal(s, create(s, `${GID}@TOPIC#_@TOPIC#ABCDEFGHIJ`, true))).to.equal(undefined);
    expect(refusal(s, create(s, `${GID}@TOPIC#_plain`, true))).to.equal(10015);
  });

  it('refuses topics in a Community created without SupportTopic', () => {
    expect(refusal(community(false), create(community(false), TOPIC))).to.equal(10004);
  });

  it('holds at most 200 topics', () => {
    let s = community();
    for (let i = 0; i < 200; i++) s = apply(s, create(s, `${GID}@TOPIC#_t${i}`));
    expect(refusal(s, create(s, `${GID}@TOPIC#_one-more`))).to.equal(10004);
  });

  it('lets the owner and admins create topics, not ordinary members', () => {
    const s = community();
    expect(refusal(s, create(s, TOPIC, false, user('a')))).to.equal(undefined);
    expect(refusal(s, create(s, TOPIC, false, user('m')))).to.equal(10007);
  });

  it('gives each topic its own sequence, apart from the community’s', () => {
    let s = withTopic();
    s = apply(s, sendIn('m', 1, TOPIC));
    s = apply(s, sendIn('m', 2, TOPIC));
    s = apply(s, sendIn('m', 3));
    expect(viewOf(s).lastSeq).to.equal(2);
    expect(s.lastSeq).to.equal(1);
    expect(result<SendResult>(s, sendIn('m', 4, TOPIC)).seq).to.equal(3);
  });

  it('answers a resend within five minutes with the first sequence', () => {
    const s = apply(withTopic(), sendIn('m', 7, TOPIC));
    expect(result<SendResult>(s, sendIn('m', 7, TOPIC))).to.include({ seq: 1, duplicate: true });
  });

  it('delivers a topic message to every member, tagged with its topic', () => {
    const out = groupKind.decide(withTopic(), sendIn('m', 1, TOPIC)).reply.out?.[0] as Extract<Outgoing, { kind: 'message' }>;
    expect(out.topicId).to.equal(TOPIC);
    expect(out.recipients.sort()).to.deep.equal(['a', 'm', 'o', 't']);
  });

  it('refuses unknown topics and non-members', () => {
    expect(refusal(withTopic(), sendIn('m', 1, `${GID}@TOPIC#_nope`))).to.equal(10010);
    expect(refusal(withTopic(), sendIn('stranger', 1, TOPIC))).to.equal(10007);
  });

  it('mutes a member in one topic only', () => {
    const s = apply(withTopic(), { op: 'mute', by: APP, users: ['m'], seconds: 60, now: NOW, topicId: TOPIC });
    expect(refusal(s, sendIn('m', 1, TOPIC))).to.equal(10017);
    expect(refusal(s, sendIn('m', 2))).to.equal(undefined);
  });

  it('mutes every ordinary member of a topic with MuteAllMember, not the owner', () => {
    const s = apply(withTopic(), { op: 'modifyTopic', by: APP, topicId: TOPIC, patch: { muteAll: true }, now: NOW });
    expect(viewOf(s).muteAll).to.equal(true);
    expect(refusal(s, sendIn('m', 1, TOPIC))).to.equal(10017);
    expect(refusal(s, sendIn('o', 2, TOPIC))).to.equal(undefined);
  });

  it('keeps a read position per member and topic', () => {
    let s = apply(apply(withTopic(), sendIn('t', 1, TOPIC)), sendIn('t', 2, TOPIC));
    expect(viewOf(s).self?.readSeq).to.equal(0);
    s = apply(s, { op: 'read', user: 'm', seq: 1, now: NOW, topicId: TOPIC });
    expect(viewOf(s).self?.readSeq).to.equal(1);
    expect(viewOf(s, user('t')).self?.readSeq).to.equal(2);
  });

  it('recalls a topic message and marks it in the topic’s window', () => {
    let s = apply(withTopic(), sendIn('m', 1, TOPIC));
    expect(result<{ code: number }[]>(s, { op: 'recall', by: user('m'), seqs: [1], limitSeconds: 120, now: NOW, topicId: TOPIC })).to.deep.equal([{ seq: 1, code: 0 }]);
    s = apply(s, { op: 'recall', by: user('m'), seqs: [1], limitSeconds: 120, now: NOW, topicId: TOPIC });
    const w = result<HistoryWindow>(s, { op: 'locate', viewer: user('t'), seq: Number.MAX_SAFE_INTEGER, topicId: TOPIC });
    expect(w).to.include({ top: 1, floor: 1, slot: 1 });
    expect(w.recalled).to.deep.equal([1]);
  });

  it('destroys topics one by one, answering each id', () => {
    const s = withTopic();
    const results = result<{ topicId: string; code: number }[]>(s, { op: 'destroyTopics', by: APP, topicIds: [TOPIC, `${GID}@TOPIC#_nope`], now: NOW });
    expect(results.map((r) => r.code)).to.deep.equal([0, 10010]);
    const after = apply(s, { op: 'destroyTopics', by: APP, topicIds: [TOPIC], now: NOW });
    expect(refusal(after, sendIn('m', 1, TOPIC))).to.equal(10010);
  });

  it('gives a topic created again after its destruction a new slot, so old messages never show in it', () => {
    let s = apply(withTopic(), sendIn('m', 1, TOPIC));
    s = apply(s, { op: 'destroyTopics', by: APP, topicIds: [TOPIC], now: NOW });
    s = apply(s, create(s, TOPIC));
    expect(viewOf(s).lastSeq).to.equal(0);
    expect(result<HistoryWindow>(s, { op: 'locate', viewer: APP, seq: 9, topicId: TOPIC }).slot).to.equal(2);
  });
});
