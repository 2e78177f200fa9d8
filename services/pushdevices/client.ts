/**
 * How other contexts use push registrations: the connector registers a device's token from the
 * SDK's ws_stat_settoken (registerDevice); offline push reads registrations through the
 * pushdevices service's actors (DEVICES_SERVICE, pushregKey) and parses Web Push subscriptions.
 */
import type { ServiceBroker } from 'moleculer';
import { deviceOfFrame, type SdkTokenFrame } from './tokens';

export const DEVICES_SERVICE = 'pushdevices';
export { parseSubscription, type Subscription } from './tokens';

/** Registers (or, for PushMsg 0 / an empty token, withdraws) the push token of a logged-in device. */
export async function registerDevice(broker: ServiceBroker, app: number, userId: string, instId: string, platform: string, frame: SdkTokenFrame): Promise<void> {
  const device = deviceOfFrame(frame, instId, platform, Date.now());
  const params = device ? { app, userId, device } : { app, userId, device: { instId }, remove: true };
  await broker.call(`${DEVICES_SERVICE}.register`, params);
}
