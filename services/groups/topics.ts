/**
 * Topics of a Community (million_group_open_http_svc create_topic, get_topic, modify_topic,
 * destroy_topic; group_open_http_svc import_topic): REST for app administrators, and the
 * SDK's createTopicInCommunity, getTopicList, updateTopicProfile, deleteTopicFromCommunity.
 * The rules are the community actor's (actors/group/topics.ts).
 */
import { randomBytes } from 'node:crypto';
import type { ActionSchema, Context } from 'moleculer';
import { GROUP_CODES, type NewTopic, type TopicPatch, type TopicView } from '../../actors/group';
import { DomainError } from '../../runtime/kind';
import { viaOf, type CommandParams } from '../commands/commands';
import { callBefore, wantsCallback } from '../webhooks/client';
import { groupCommand, whoOf } from './context';
import type { GroupsService } from './types';

type Handler<B> = (this: GroupsService, ctx: Context<CommandParams<B>>) => Promise<unknown>;
const command = <B>(name: string, summary: string, body: Record<string, unknown>, handler: Handler<B>, user = false): ActionSchema => groupCommand(name, summary, body, handler, user);

const groupId = { type: 'string', min: 1, max: 128 };
const topicId = { type: 'string', min: 1, max: 96 };
const text = (max: number) => ({ type: 'string', max, optional: true });
/** Length limits are checked in bytes by the actor; these only bound what is parsed. */
const profile = { TopicName: text(120), FaceUrl: text(400), Introduction: text(1000), Notification: text(1200), CustomString: text(12_000) };
const mask = { type: 'any', optional: true };

export interface CreateTopicBody {
  GroupId: string;
  TopicId?: string;
  TopicName: string;
  From_Account?: string;
  FaceUrl?: string;
  Introduction?: string;
  Notification?: string;
  CustomString?: string;
  DefaultPermission?: unknown;
  CreateTime?: number;
}
const createTopicBody = { GroupId: groupId, TopicId: { ...topicId, optional: true }, From_Account: text(64), ...profile, TopicName: { type: 'string', min: 1, max: 120 }, DefaultPermission: mask };

interface ModifyTopicBody {
  GroupId: string;
  TopicId: string;
  TopicName?: string;
  FaceUrl?: string;
  Introduction?: string;
  Notification?: string;
  CustomString?: string;
  MuteAllMember?: string;
  ShutUpAllMember?: string;
  DefaultPermission?: unknown;
}
const onOff = { type: 'enum', values: ['On', 'Off', 'on', 'off'], optional: true };
const modifyTopicBody = { GroupId: groupId, TopicId: topicId, From_Account: text(64), ...profile, MuteAllMember: onOff, ShutUpAllMember: onOff, DefaultPermission: mask };

interface TopicsBody {
  GroupId: string;
  TopicIdList?: string[];
}
const topicsBody = (min: number) => ({ GroupId: groupId, From_Account: text(64), TopicIdList: { type: 'array', items: topicId, min, max: 200, optional: min === 0 } });

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const generatedTopicId = (group: string) => `${group}@TOPIC#_@TOPIC#${[...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;

async function createTopic(this: GroupsService, ctx: Context<CommandParams<CreateTopicBody>>, imported: boolean) {
  const { app, caller, body } = ctx.params;
  const by = whoOf(caller);
  const topic: Omit<NewTopic, 'id'> = {
    name: body.TopicName, faceUrl: body.FaceUrl ?? '', introduction: body.Introduction ?? '', notification: body.Notification ?? '', customString: body.CustomString ?? '',
    ...(body.DefaultPermission !== undefined ? { defaultPermission: String(body.DefaultPermission) } : {}),
    ...(imported && body.CreateTime ? { createTime: body.CreateTime } : {}),
  };
  if (!imported && wantsCallback(this.broker, app, 'Group.CallbackBeforeCreateTopic')) {
    const verdict = await callBefore(this.broker, { app, command: 'Group.CallbackBeforeCreateTopic', body: { GroupId: body.GroupId, Type: 'Community', Operator_Account: caller.id, TopicName: body.TopicName }, ...viaOf(caller) });
    if (verdict.verdict === 'reject') throw new DomainError(verdict.code, verdict.info);
    if (verdict.verdict === 'drop') throw new DomainError(10016, 'the app backend refused the topic');
  }
  for (let attempt = 0; ; attempt++) {
    const id = body.TopicId ?? generatedTopicId(body.GroupId);
    try {
      await this.group(app, body.GroupId, { op: 'createTopic', by, topic: { ...topic, id }, generated: body.TopicId === undefined, now: Date.now() }, ctx);
      return { TopicId: id };
    } catch (err) {
      const clash = (err as { data?: { code?: number } }).data?.code === GROUP_CODES.ID_USED;
      if (!clash || body.TopicId !== undefined || attempt >= 4) throw err;
    }
  }
}

/** get_topic's item: Tencent's names, read by the SDK through its key map (docs/sdk-protocol.md). */
function topicItem(groupID: string, v: TopicView | { id: string; code: number }) {
  if (!('name' in v)) return { ErrorCode: v.code, ErrorInfo: 'topic not found', TopicInfo: { TopicId: v.id, GroupID: groupID } };
  const TopicInfo = {
    TopicId: v.id, GroupID: groupID, TopicName: v.name, FaceUrl: v.faceUrl, Introduction: v.introduction, Notification: v.notification, CustomString: v.customString,
    CreateTime: v.createTime, LastMsgTime: v.lastMsgTime, NextMsgSeq: v.lastSeq + 1, ShutUpAllFlag: v.muteAll ? 1 : 0, DefaultPermission: v.defaultPermission,
  };
  const SelfInfo = v.self ? { MsgSeq: v.self.readSeq, ShutUpTime: v.self.mutedUntil, MsgFlag: v.self.msgFlag, NoUnreadSeqList: [] } : undefined;
  return { ErrorCode: 0, ErrorInfo: '', TopicInfo, ...(SelfInfo ? { SelfInfo } : {}) };
}

const onOffOf = (v: string | undefined) => (v === undefined ? undefined : v.toLowerCase() === 'on');

export const topicActions: Record<string, ActionSchema> = {
  createTopic: command<CreateTopicBody>('million_group_open_http_svc/create_topic', 'Create a topic in a Community', createTopicBody, function (ctx) {
    return createTopic.call(this, ctx, false);
  }, true),
  importTopic: command<CreateTopicBody>('group_open_http_svc/import_topic', 'Import a topic with its creation time', { ...createTopicBody, CreateTime: { type: 'number', integer: true, min: 0, max: 0xffffffff, optional: true } }, function (ctx) {
    return createTopic.call(this, ctx, true);
  }),
  getTopics: command<TopicsBody>('million_group_open_http_svc/get_topic', 'Topics of a Community, with the caller’s own state', topicsBody(0), async function (ctx) {
    const { app, caller, body } = ctx.params;
    const views = await this.group<(TopicView | { id: string; code: number })[]>(app, body.GroupId, { op: 'viewTopics', viewer: whoOf(caller), topicIds: body.TopicIdList ?? [] }, ctx);
    return { TopicAndSelfInfo: views.map((v) => topicItem(body.GroupId, v)) };
  }, true),
  modifyTopic: command<ModifyTopicBody>('million_group_open_http_svc/modify_topic', 'Change a topic', modifyTopicBody, async function (ctx) {
    const { app, caller, body } = ctx.params;
    const patch: TopicPatch = {
      name: body.TopicName, faceUrl: body.FaceUrl, introduction: body.Introduction, notification: body.Notification, customString: body.CustomString,
      muteAll: onOffOf(body.MuteAllMember ?? body.ShutUpAllMember),
      defaultPermission: body.DefaultPermission === undefined ? undefined : String(body.DefaultPermission),
    };
    await this.group(app, body.GroupId, { op: 'modifyTopic', by: whoOf(caller), topicId: body.TopicId, patch, now: Date.now() }, ctx);
    return {};
  }, true),
  destroyTopics: command<TopicsBody>('million_group_open_http_svc/destroy_topic', 'Destroy topics of a Community', topicsBody(1), async function (ctx) {
    const { app, caller, body } = ctx.params;
    const results = await this.group<{ topicId: string; code: number }[]>(app, body.GroupId, { op: 'destroyTopics', by: whoOf(caller), topicIds: body.TopicIdList ?? [], now: Date.now() }, ctx);
    return { DestroyResultItem: results.map((r) => ({ TopicId: r.topicId, ErrorCode: r.code, ErrorInfo: r.code === 0 ? '' : 'not destroyed' })) };
  }, true),
};
