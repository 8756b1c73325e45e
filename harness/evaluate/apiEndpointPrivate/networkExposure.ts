// Security groups and load balancers that expose the API server port.
//
// Which objects are the API server's:
// - port 6443 is the kube-apiserver's conventional port and rarely anything else, so an ingress rule to
//   6443 from the whole internet is flagged on ANY security group;
// - port 443 is shared with every web app, so a 443 rule counts only on groups attached to an EKS cluster
//   (`resourcesVpcConfig.securityGroupIds`) or to a load balancer that fronts the API server;
// - a load balancer fronts the API server when it listens on 6443, or listens on 443 and the kubeconfig /
//   controlPlaneEndpoint host is its DNS name (AWS ELB DNS names start with `<lb name>-`).
// A hostname equal to a collected load balancer's DNS name is classified by that load balancer's scheme.
import type { LoadBalancer, SecurityGroup, SecurityGroupRule } from '../../model/state.ts';
import { isWholeInternet } from './cidrSet.ts';

const APISERVER_PORT = 6443;
const HTTPS_PORT = 443;

/** Protocol -1 (all traffic) covers every port; tcp without ports (some terraform shapes) too. */
function ruleCoversPort(rule: SecurityGroupRule, port: number): boolean {
  const protocol = rule.protocol.toLowerCase();
  if (protocol === '-1' || protocol === 'all') return true;
  if (protocol !== 'tcp' && protocol !== '6') return false;
  if (rule.fromPort === undefined || rule.toPort === undefined) return true;
  return rule.fromPort <= port && port <= rule.toPort;
}

interface OpenIngress {
  group: SecurityGroup;
  port: number;
  rule: SecurityGroupRule;
  /** The whole-internet sources of the rule (0.0.0.0/0, ::/0). */
  sources: string[];
}

/** World-open ingress on the API server ports of one group; `include443` when the group is the API server's. */
export function worldOpenApiIngress(group: SecurityGroup, include443: boolean): OpenIngress[] {
  const ports = include443 ? [APISERVER_PORT, HTTPS_PORT] : [APISERVER_PORT];
  const found: OpenIngress[] = [];
  for (const rule of group.ingress) {
    const sources = [...rule.cidrs, ...rule.ipv6Cidrs].filter(isWholeInternet);
    if (sources.length === 0) continue;
    for (const port of ports) {
      if (ruleCoversPort(rule, port)) found.push({ group, port, rule, sources });
    }
  }
  return found;
}

/** Ports on which `lb` serves the API server, or [] when it does not front it. */
export function apiServerListenerPorts(lb: LoadBalancer, endpointHosts: string[]): number[] {
  const ports: number[] = [];
  if (lb.listenerPorts.includes(APISERVER_PORT)) ports.push(APISERVER_PORT);
  const namedByEndpoint = endpointHosts.some((h) => h.toLowerCase().startsWith(`${lb.name.toLowerCase()}-`));
  if (lb.listenerPorts.includes(HTTPS_PORT) && namedByEndpoint) ports.push(HTTPS_PORT);
  return ports;
}

/** The collected load balancer whose DNS name is `host` (case and a trailing dot ignored), if any. */
export function loadBalancerByDnsName(loadBalancers: LoadBalancer[], host: string): LoadBalancer | undefined {
  const norm = (h: string) => h.toLowerCase().replace(/\.$/, '');
  return loadBalancers.find((lb) => lb.dnsName !== undefined && norm(lb.dnsName) === norm(host));
}
