/**
 * ConfigSvc/GetIPList: the addresses a callback backend should accept requests from. Every
 * node sends callbacks (before-callbacks from the node of the sending actor), so the answer is
 * every available node's addresses as Moleculer's registry knows them, unless the operator
 * names the egress addresses (PARLEY_EGRESS_IPS: nodes behind NAT or a proxy, where the
 * backend sees other addresses than the nodes have).
 */
import type { ServiceBroker } from 'moleculer';

interface NodeInfo {
  available: boolean;
  ipList?: string[];
}

export function ipList(broker: ServiceBroker, configured: string[]): string[] {
  if (configured.length > 0) return [...configured];
  const nodes = broker.registry.nodes.list({ onlyAvailable: true, withServices: false }) as unknown as NodeInfo[];
  const ips = new Set<string>();
  for (const node of nodes) for (const ip of node.ipList ?? []) ips.add(ip);
  return [...ips].sort();
}
