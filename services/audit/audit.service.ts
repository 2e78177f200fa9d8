/**
 * audit — the console's audit log (docs/console.md, "Audit log"): every change the console
 * makes, who asked for it, when, what and on what (field names, never values), kept in the
 * event log per app (actors/audit, key `<app>`). The console records the request before the
 * change and the outcome after it, both before it answers (services/console/audit-api.ts).
 * Actions (through ./client.ts): request, complete, list. Emits nothing; consumes nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { auditKey, auditKind, auditStream, type AuditCommand, type AuditEvent, type AuditReply, type AuditState } from '../../actors/audit';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { entriesOf } from './entries';
import { MAX_AUDIT_PAGE, type AuditCompleteParams, type AuditListParams, type AuditPage, type AuditRequestParams } from './types';

type AuditService = ActorHostService<AuditState, AuditCommand, AuditEvent, AuditReply>;

const app = { type: 'number', integer: true, positive: true };
const entry = { type: 'number', integer: true, positive: true };

const audit: ServiceSchema<ServiceSettingSchema, AuditService> = {
  name: 'audit',
  mixins: [actorHostMixin(auditKind)],
  actions: {
    request: {
      visibility: 'public',
      params: {
        $$strict: true, app, admin: { type: 'string', min: 1, max: 128 }, action: 'string', target: 'string',
        fields: { type: 'array', items: 'string' }, requestId: { type: 'string', max: 128 },
      },
      handler(this: AuditService, ctx: Context<AuditRequestParams>) {
        const { app: sdkAppId, ...change } = ctx.params;
        return this.actorCall(auditKey(sdkAppId), { op: 'request', change: { ...change, at: Date.now() } }, ctx);
      },
    },
    complete: {
      visibility: 'public',
      params: { $$strict: true, app, entry, code: { type: 'number', integer: true }, info: 'string' },
      handler(this: AuditService, ctx: Context<AuditCompleteParams>) {
        const { app: sdkAppId, ...done } = ctx.params;
        return this.actorCall(auditKey(sdkAppId), { op: 'complete', ...done, at: Date.now() }, ctx);
      },
    },
    list: {
      visibility: 'public',
      params: { $$strict: true, app, before: { ...entry, optional: true }, limit: { type: 'number', integer: true, min: 1, max: MAX_AUDIT_PAGE } },
      async handler(this: AuditService, ctx: Context<AuditListParams>): Promise<AuditPage> {
        const { app: sdkAppId, before, limit } = ctx.params;
        // The owner's count, so a page never misses an entry committed a moment ago.
        const head = (await this.actorCall(auditKey(sdkAppId), { op: 'head' }, ctx)).entry;
        const high = Math.min(head, before === undefined ? head : before - 1);
        if (high < 1) return { entries: [], total: head };
        const low = Math.max(1, high - limit + 1);
        const events = await runtimeOf(this.broker).store.readIndex(auditStream(sdkAppId), { index: 'entry', high, low, limit: 2 * (high - low + 1) });
        return { entries: entriesOf(events), total: head, ...(low > 1 ? { next: low } : {}) };
      },
    },
  },
};

export default audit;
