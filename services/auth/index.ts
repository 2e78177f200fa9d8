/** The node's UserSig verifier, shared by the REST gateway and the WebSocket connector. */
import type { ServiceBroker } from 'moleculer';
import { userKey, type UserReply } from '../../actors/user';
import { routerOf } from '../../runtime/moleculer/router';
import { appDirectory } from '../apps/registry';
import { SigVerifier } from './verifier';

const verifiers = new WeakMap<ServiceBroker, SigVerifier>();

export function sigVerifier(broker: ServiceBroker): SigVerifier {
  let verifier = verifiers.get(broker);
  if (!verifier) {
    const kickedAt = async (app: number, id: string) =>
      (await routerOf(broker).call<UserReply>('accounts', userKey(app, id), { op: 'get' })).kickedAt;
    verifier = new SigVerifier(appDirectory(broker), kickedAt);
    verifiers.set(broker, verifier);
  }
  return verifier;
}
