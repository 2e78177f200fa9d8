/**
 * pushtasks — (the offline-push context's third service, docs/push.md) all_member_push/im_push:
 * a message to every account of the app, or to those a Condition on tags or attributes selects.
 * Hosts the app's task actor (actors/pushtask, key `<app>`: interval, daily quota, progress);
 * the node owning that key runs the app's tasks (./runner.ts) and resumes them after a restart
 * or a move.
 * Actions: push (im_push). Emits nothing; consumes nothing.
 */
import crypto from 'node:crypto';
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { pushtaskKey, pushtaskKind, TASK_CODES, TASK_CREATED, type PushCondition, type PushtaskCommand, type PushtaskEvent, type PushtaskReply, type PushtaskState } from '../../actors/pushtask';
import { pushSettings } from '../../actors/apps/settings/push';
import { DomainError } from '../../runtime/kind';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { userIdRule } from '../accounts/bodies';
import { accountsOf } from '../accounts/client';
import { appDirectory } from '../apps/registry';
import { commandParams, type CommandParams } from '../commands/commands';
import { offlinePushRule, validateMsgBody } from '../messages/client';
import { broadcastPushFeeds } from '../push/client';
import { pushedMessage, TaskRunners } from './runner';

type TasksService = ActorHostService<PushtaskState, PushtaskCommand, PushtaskEvent, PushtaskReply> & {
  runners: TaskRunners;
  resuming: Promise<void> | undefined;
  owns(app: number): boolean;
  resume(): Promise<void>;
};

interface PushBody {
  From_Account?: string;
  MsgRandom: number;
  MsgLifeTime?: number;
  MsgBody: unknown;
  OfflinePushInfo?: Record<string, unknown>;
  Condition?: PushCondition;
}

const tags = { type: 'array', items: 'string', optional: true };
const attrs = { type: 'record', key: { type: 'string', max: 50 }, value: 'any', optional: true };

const tasks: ServiceSchema<ServiceSettingSchema, TasksService> = {
  name: 'pushtasks',
  dependencies: ['apps'],
  mixins: [actorHostMixin(pushtaskKind)],
  actions: {
    push: {
      tencent: { command: 'all_member_push/im_push', summary: 'Push a message to every account, or to those with given tags or attributes', invalidCode: TASK_CODES.INVALID, internalCode: 91000 },
      params: commandParams({
        From_Account: { ...userIdRule, optional: true },
        MsgRandom: { type: 'number', integer: true, min: 0, max: 0xffffffff },
        MsgLifeTime: { type: 'number', integer: true, min: 0, max: 7 * 86400, optional: true },
        MsgBody: { type: 'any' },
        OfflinePushInfo: offlinePushRule,
        Condition: { type: 'object', optional: true, strict: true, props: { TagsOr: tags, TagsAnd: tags, AttrsOr: attrs, AttrsAnd: attrs } },
      }),
      async handler(this: TasksService, ctx: Context<CommandParams<PushBody>>) {
        const { app, caller, body } = ctx.params;
        validateMsgBody(body.MsgBody);
        const from = body.From_Account ?? caller.id;
        if (from !== caller.id && !(await accountsOf(this.broker).importedAmong(app, [from], ctx)).has(from)) throw new DomainError(TASK_CODES.INVALID, 'From_Account is not an account of the app');
        const taskId = `${app}_${crypto.randomBytes(6).toString('hex')}_${body.MsgRandom}_${Math.floor(Date.now() / 1000)}`;
        // One MsgSeq for every copy (one MsgKey), and the same again when a resumed batch is resent.
        const message = { MsgRandom: body.MsgRandom, MsgSeq: 1 + crypto.randomInt(0x7fffffff), MsgBody: body.MsgBody, MsgLifeTime: body.MsgLifeTime ?? 0, ...(body.OfflinePushInfo ? { OfflinePushInfo: body.OfflinePushInfo } : {}) };
        const attrNames = Object.values(pushSettings(appDirectory(this.broker).get(app)?.settings ?? {}).attrNames);
        const command: PushtaskCommand = { op: 'create', taskId, from, message: JSON.stringify(message), condition: body.Condition ?? {}, attrNames, now: Date.now() };
        await this.actorCall(pushtaskKey(app), command, ctx);
        return { TaskId: taskId };
      },
    },
  },
  methods: {
    /** A batch's push jobs, in the append that records its progress: a crash keeps both or neither. */
    sideFeeds(this: TasksService, key: string, _events: PushtaskEvent[], _first: number, state: PushtaskState, command: PushtaskCommand) {
      if (command.op !== 'progress' || !command.push) return undefined;
      const task = state.running[command.taskId];
      return task ? broadcastPushFeeds(this.broker, Number(key), pushedMessage(task, command.push), command.push.users) : undefined;
    },
    afterAppend(this: TasksService, key: string, events: PushtaskEvent[], _first: number, state: PushtaskState) {
      for (const e of events) if (e.type === TASK_CREATED) this.runners.start(Number(key), state.running[e.data.taskId]);
    },
    owns(this: TasksService, app: number) {
      return this.actorRouter.ownerOf(this.fullName, pushtaskKey(app)) === this.broker.nodeID;
    },
    /** Restarts the unfinished tasks of the apps whose task actor this node owns. */
    resume(this: TasksService) {
      this.resuming = (this.resuming ?? Promise.resolve())
        .then(async () => {
          const { store } = runtimeOf(this.broker);
          for (const { sdkAppId: app } of appDirectory(this.broker).all()) {
            if (!this.owns(app) || (await store.version(this.actorHost.streamOf(pushtaskKey(app)))) === 0) continue;
            const state = await this.actorCall(pushtaskKey(app), { op: 'get' });
            for (const task of Object.values(state.running)) this.runners.start(app, task);
          }
        })
        .catch((err: Error) => this.logger.error(`resuming push tasks failed: ${err.message}`));
      return this.resuming;
    },
  },
  created(this: TasksService) {
    this.runners = new TaskRunners({
      broker: this.broker,
      store: () => runtimeOf(this.broker).store,
      call: (app, command) => this.actorCall(pushtaskKey(app), command),
      owns: (app) => this.owns(app),
      log: this.logger,
    });
  },
  started(this: TasksService) {
    this.actorRouter.onChange(() => setImmediate(() => void this.resume()));
    setImmediate(() => void this.resume());
  },
  async stopped(this: TasksService) {
    await this.runners.stop();
  },
};

export default tasks;
