/**
 * auth — keeps this node's UserSig cache true.
 * Actions: none. Consumes: user.kicked and user.deleted (forget the user's cached sigs),
 * apps.changed (an app's key may have changed: forget all).
 */
import type { Context, ServiceSchema } from 'moleculer';
import { sigVerifier } from './';

export interface UserSessionsEnded {
  app: number;
  userId: string;
  at: number;
}

const userEvent = {
  params: { app: 'number', userId: 'string', at: 'number' },
  handler(this: { broker: Context['broker'] }, ctx: Context<UserSessionsEnded>) {
    sigVerifier(this.broker).forgetUser(ctx.params.app, ctx.params.userId);
  },
};

const auth: ServiceSchema = {
  name: 'auth',
  events: {
    'user.kicked': userEvent,
    'user.deleted': userEvent,
    'apps.changed': {
      handler(this: { broker: Context['broker'] }) {
        sigVerifier(this.broker).forgetAll();
      },
    },
  },
};

export default auth;
