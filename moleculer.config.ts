/**
 * Broker options, from config/. Used by `npm start` (embedded) and by moleculer-runner on
 * every node of a cluster: `moleculer-runner --config dist/moleculer.config.js dist/services`.
 */
import type { BrokerOptions } from 'moleculer';
import { loadConfig, type ParleyConfig } from './config';
import { LIVENESS_METADATA, livenessMiddleware } from './runtime/moleculer/liveness';
import { ParleyRuntime, type RuntimeOverrides } from './runtime/moleculer/node-runtime';
import { RequestValidator } from './runtime/moleculer/validator';

export function brokerOptions(config: ParleyConfig = loadConfig(), overrides: RuntimeOverrides = {}): BrokerOptions {
  const runtime = new ParleyRuntime(config, overrides);
  return {
    namespace: config.namespace,
    nodeID: config.nodeId,
    // Unset = embedded: every service in this process, no transporter at all.
    transporter: config.transporter ?? null,
    // Redis when the cluster has one, so cached answers are shared by every node.
    cacher: config.redis ? { type: 'Redis', options: { redis: config.redis, prefix: 'parley-cache' } } : 'Memory',
    // PARLEY_LOG_FORMAT=json: Moleculer's JSON lines (ts, level, msg, nodeID, ns, mod, svc), no colours.
    logger: {
      type: 'Console',
      options: config.logFormat === 'json' ? { level: config.logLevel, formatter: 'json', colors: false } : { level: config.logLevel, formatter: 'short', colors: process.stdout.isTTY },
    },
    requestTimeout: config.actors.callTimeoutMs,
    // Faster than Moleculer's 5 s / 15 s so a dead node's actors move within seconds.
    heartbeatInterval: config.cluster.heartbeatSec,
    heartbeatTimeout: config.cluster.heartbeatTimeoutSec,
    registry: {
      strategy: 'RoundRobin',
      // Actor calls pick their node themselves (runtime/moleculer/router.ts); other calls may
      // prefer the local endpoint as Moleculer does by default.
      preferLocal: true,
    },
    // fastest-validator, refusing values its error messages cannot print instead of throwing,
    // and handing null in an optional field on as an absent field (runtime/moleculer/validator.ts).
    validator: new RequestValidator(),
    // Errors cross NATS as plain objects; callers compare `type` and `data.code`, never classes.
    // On NATS, a killed node is found gone from the transporter within a probe period.
    middlewares: [runtime.middleware(), livenessMiddleware(config.cluster.livenessProbeMs)],
    // Tells peers this node answers liveness probes, so a peer may judge it gone from its first probe on.
    metadata: { [LIVENESS_METADATA]: config.cluster.livenessProbeMs > 0 },
    metrics: { enabled: false },
    tracing: { enabled: false },
  };
}

export default brokerOptions();
