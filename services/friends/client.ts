/** Calls to relationship actors and user actors of one app, from any node. */
import type { ServiceBroker } from 'moleculer';
import { relationsKey, type RelationsCommand, type BatchReply, type ChainView, type ChangeReply, type ManyCommand, type ManyReply, type ViewReply } from '../../actors/relations';
import { type UserReply } from '../../actors/user';
import { routerOf } from '../../runtime/moleculer/router';
import { accountsOf } from '../accounts/client';

/** The service hosting the relations actor kind. */
export const RELATIONS_SERVICE = 'friends';

export class Chain {
  constructor(
    readonly broker: ServiceBroker,
    readonly app: number,
  ) {}

  private call<R>(user: string, command: RelationsCommand): Promise<R> {
    return routerOf(this.broker).call<R>(RELATIONS_SERVICE, relationsKey(this.app, user), command);
  }

  view = (user: string, peers: string[]) => this.call<ViewReply>(user, { op: 'view', peers });
  read = (user: string) => this.call<ChainView>(user, { op: 'read' });
  change = (user: string, command: RelationsCommand) => this.call<ChangeReply>(user, command);
  batch = (user: string, command: RelationsCommand) => this.call<BatchReply>(user, command);
  many = (user: string, command: ManyCommand) => this.call<ManyReply>(user, command);

  /** Profile and existence of an account (user actor, hosted by accounts). */
  user(id: string): Promise<UserReply> {
    return accountsOf(this.broker).get(this.app, id);
  }
}
