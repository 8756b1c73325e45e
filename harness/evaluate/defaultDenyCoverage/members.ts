// The pods of each namespace as the default-deny probes see them. Pods the policies' podSelectors see alike
// (engine.targetLabels) and with the same ports on the probe ports get the same answers, so each such group
// is one member, probed once (a namespace usually holds a few Deployments of many replicas).
import type { ContainerPort, PodEndpoint } from '../../netpol/endpoints.ts';
import type { NetworkPolicyEngine } from '../../netpol/engine.ts';

/** The probe ports: a rule admitting both admits every port of its protocol. */
export const PROBE_PORTS = [1, 65535] as const;
const [LOW, HIGH] = PROBE_PORTS;

export interface Member {
  pod: PodEndpoint;
  /** The pods this one answers for, by id ("any pod" for the unlabelled stand-in). */
  stands: string[];
  /** The member's container ports on the probe ports (JSON), '' for none: named-port rules resolve against them. */
  probePorts: string;
}

export interface NamespacePods {
  /** In order of their first pod; hostNetwork pods are out of NetworkPolicy's scope and not members. */
  members: Member[];
  hostNetwork: string[];
}

/**
 * Every namespace's members, in one pass over all pods (a pass per namespace would leave V8 optimising the
 * per-namespace code only after several scans). podEndpoints lists a namespace's pods together, sorted by
 * name, so replicas are neighbours: a pod is compared with the last member before any key is built.
 */
export function membersByNamespace(engine: NetworkPolicyEngine, pods: readonly PodEndpoint[]): Map<string, NamespacePods> {
  const grouper = new Grouper(engine);
  for (let i = 0; i < pods.length; i++) grouper.add(pods[i] as PodEndpoint);
  return grouper.namespaces;
}

class Grouper {
  readonly namespaces = new Map<string, NamespacePods>();
  private readonly engine: NetworkPolicyEngine;
  private current: NamespacePods | undefined;
  private currentNs: string | undefined;
  private byView = new Map<string, Member>();
  private last: Member | undefined;

  constructor(engine: NetworkPolicyEngine) {
    this.engine = engine;
  }

  add(pod: PodEndpoint): void {
    if (pod.namespace !== this.currentNs) this.enter(pod.namespace);
    const ns = this.current as NamespacePods;
    if (pod.hostNetwork) {
      ns.hostNetwork.push(pod.id);
      return;
    }
    const probePorts = probePortsKey(pod);
    const last = this.last;
    if (last && last.probePorts === probePorts && this.engine.targetLabels.equal(last.pod.labels, pod.labels)) {
      last.stands.push(pod.id);
      return;
    }
    const view = `${this.engine.targetLabels.key(pod.labels)}|${probePorts}`;
    let member = this.byView.get(view);
    if (member) member.stands.push(pod.id);
    else {
      this.byView.set(view, (member = { pod, stands: [pod.id], probePorts }));
      ns.members.push(member);
    }
    this.last = member;
  }

  /** Switches to namespace `name` (a namespace listed in two runs, for unsorted input, continues its entry). */
  private enter(name: string): void {
    this.currentNs = name;
    let ns = this.namespaces.get(name);
    if (!ns) this.namespaces.set(name, (ns = { members: [], hostNetwork: [] }));
    this.current = ns;
    // Views of another namespace never match here: start afresh (rebuilt from the members if revisited).
    this.byView = new Map();
    for (const m of ns.members) this.byView.set(`${this.engine.targetLabels.key(m.pod.labels)}|${m.probePorts}`, m);
    this.last = undefined;
  }
}

/** The pod's container ports on the probe ports (JSON), '' for none (nearly every pod). */
function probePortsKey(pod: PodEndpoint): string {
  let probePorts: ContainerPort[] | undefined;
  const ports = pod.containerPorts;
  for (let k = 0; k < ports.length; k++) {
    const c = ports[k] as ContainerPort;
    if (c.port === LOW || c.port === HIGH) (probePorts ??= []).push(c);
  }
  return probePorts === undefined ? '' : JSON.stringify(probePorts);
}
