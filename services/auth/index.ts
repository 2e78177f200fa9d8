/**
 * The node's UserSig verifier, shared by the REST gateway, the WebSocket connector and the
 * console. It reads secret keys from the node's app directory, which the apps service hands
 * over when it is created (useAppKeys): auth depends on no other context for them, so the apps
 * context may use auth's UserSig codec for its first app's credentials without an import circle.
 */
import type { ServiceBroker } from 'moleculer';
import { accountsOf } from '../accounts/client';
import { SigVerifier, type AppKeys } from './verifier';

const verifiers = new WeakMap<ServiceBroker, SigVerifier>();
const appKeys = new WeakMap<ServiceBroker, AppKeys>();

/** Called by the apps service with the node's app directory. */
export function useAppKeys(broker: ServiceBroker, keys: AppKeys): void {
  appKeys.set(broker, keys);
}

export function sigVerifier(broker: ServiceBroker): SigVerifier {
  let verifier = verifiers.get(broker);
  if (!verifier) {
    const kickedAt = async (app: number, id: string) => (await accountsOf(broker).get(app, id)).kickedAt;
    // Looked up on each check: the directory may be handed over after the first verifier use.
    verifier = new SigVerifier({ get: (sdkAppId) => appKeys.get(broker)?.get(sdkAppId) }, kickedAt);
    verifiers.set(broker, verifier);
  }
  return verifier;
}
