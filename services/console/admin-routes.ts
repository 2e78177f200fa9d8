/**
 * The console resources added for the administrator's daily work beyond looking one thing up:
 * accounts by nick, import and global mute, a group's history and muting members, the app's push
 * credentials, and the installation's apps. http.ts asks here after its own routes; a write
 * goes through its `change` (sign-in with CSRF checks, JSON body, audit entry around the work).
 */
import type { ServiceBroker } from 'moleculer';
import type { AppDirectory } from '../apps/registry';
import { REST, Refusal, type Admin } from '../rest/admin-auth';
import { importAccounts, muteAccount, nickSearchAnswer } from './accounts-api';
import { appsAnswer, createApp, rotateSecret } from './apps-api';
import { idParam, type Answer } from './commands-api';
import { groupHistoryAnswer, muteMembers } from './groups-api';
import { pushView, writePush } from './push-api';

export const ADMIN_RESOURCES = ['accounts', 'account/import', 'account/mute', 'group/messages', 'group/mute', 'push', 'apps', 'apps/create', 'apps/rotate'];

export interface RouteContext {
  broker: ServiceBroker;
  apps: AppDirectory;
  query: URLSearchParams;
  requestId: string;
  /** The signed-in administrator (reads). */
  admin(): Promise<Admin>;
  /** A recorded write (http.ts's change). */
  change(work: (admin: Admin, body: Answer) => Promise<Answer>): Promise<Answer>;
}

/** The answer of `METHOD resource`, or undefined when it is not one of these routes. */
export function adminRoute(route: string, c: RouteContext): Promise<Answer> | undefined {
  const { broker, apps, query, requestId } = c;
  switch (route) {
    case 'GET accounts':
      return c.admin().then((admin) => nickSearchAnswer(broker, admin, query));
    case 'POST account/import':
      return c.change((admin, body) => importAccounts(broker, admin, body, requestId));
    case 'POST account/mute':
      return c.change((admin, body) => muteAccount(broker, admin, body, requestId));
    case 'GET group/messages':
      return c.admin().then((admin) => groupHistoryAnswer(broker, admin, idParam(query, 'id'), seqParam(query), requestId, query.has('topic') ? idParam(query, 'topic') : undefined));
    case 'POST group/mute':
      return c.change((admin, body) => muteMembers(broker, admin, body, requestId));
    case 'GET push':
      return c.admin().then((admin) => pushView(admin.app));
    case 'PATCH push':
      return c.change(async (admin, body) => pushView(Object.keys(body).length === 0 ? admin.app : await writePush(broker, apps, admin.app, body, requestId)));
    case 'GET apps':
      return c.admin().then((admin) => appsAnswer(apps, admin));
    case 'POST apps/create':
      return c.change((admin, body) => createApp(broker, apps, admin, body, requestId));
    case 'POST apps/rotate':
      return c.change((admin, body) => rotateSecret(broker, apps, admin, body, requestId));
  }
  return undefined;
}

/** ?before= of a history page: a message sequence, absent for the newest page. */
function seqParam(query: URLSearchParams): number | undefined {
  const values = query.getAll('before');
  if (values.length === 0) return undefined;
  if (values.length > 1 || !/^[1-9]\d{0,14}$/.test(values[0])) throw new Refusal(REST.BAD_URL, 'before must be one whole number (a page\'s NextSeq)');
  return Number(values[0]);
}
