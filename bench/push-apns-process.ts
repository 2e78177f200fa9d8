/**
 * The loopback APNs server (test/support/push-servers.ts, which verifies every request's ES256
 * JWT) in a process of its own, so that a push bench measures Parley's node rather than the
 * stand-in's signature checks on the same event loop. Forked by bench/push-all.ts; talks over
 * IPC: it sends {endpoint, key} once listening, and answers 'count' with {count, refused}.
 */
import { ApnsServer, apnsKeys } from '../test/support/push-servers';

export const APNS_IDS = { teamId: 'TEAM123456', keyId: 'KEY1234567', bundleId: 'com.example.chat' };

async function main(): Promise<void> {
  const keys = apnsKeys();
  const apns = new ApnsServer(APNS_IDS.teamId, APNS_IDS.keyId, keys.publicKey, APNS_IDS.bundleId);
  await apns.start();
  let total = 0;
  process.on('message', (m) => {
    // The records are not needed by the bench; dropping them keeps a long run's memory flat.
    total += apns.received.length;
    apns.received.length = 0;
    if (m === 'count') process.send?.({ count: total, refused: apns.refused.length });
    if (m === 'stop') void apns.stop().then(() => process.exit(0));
  });
  // A bench that dies leaves no server behind.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ endpoint: apns.endpoint, key: keys.key });
}

if (require.main === module) void main();
