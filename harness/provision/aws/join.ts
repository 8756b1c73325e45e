// Joining the other nodes with the cluster CA pinned. The CA only exists once `kubeadm init` ran on the first control
// plane, after every instance's user-data was written, so the joins go over SSM (the exec path of nodes.ts): the
// first control plane computes the hash of its CA's public key (what `--discovery-token-ca-cert-hash` expects), then
// every other node runs `kubeadm join … --discovery-token-ca-cert-hash sha256:<hash>` once its user-data has
// prepared it. Never `--discovery-token-unsafe-skip-ca-verification`: without the pin, whoever answers on the
// endpoint first could hand a joining node its own CA.
import { RunError } from '../../errors.ts';
import type { ClusterNode } from '../../model/cluster.ts';

/** Written by the user-data of a node that joins (userData.ts) once containerd, kubelet and kubeadm are installed. */
export const PREPARED_MARK = '/var/lib/clusterproof/prepared';
/** Written by the first control plane's user-data once `kubeadm init` has finished (token, uploaded certificates). */
export const INITIALIZED_MARK = '/var/lib/clusterproof/initialized';

/** SHA-256 of the CA certificate's DER SubjectPublicKeyInfo, in hex (kubeadm's public key pin). */
export const CA_HASH_SCRIPT =
  'openssl x509 -pubkey -noout -in /etc/kubernetes/pki/ca.crt | openssl pkey -pubin -outform der | sha256sum | cut -d" " -f1';

const HASH = /^[0-9a-f]{64}$/;

export interface JoinInput {
  /** NLB DNS name; port 6443. */
  endpoint: string;
  token: string;
  /** Hex SHA-256 of the CA's public key, from readCaCertHash. */
  caCertHash: string;
  /** Only for control planes: the key `kubeadm init --upload-certs` encrypted the control-plane certificates with. */
  certificateKey?: string;
}

const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** The shell script a joining node runs: wait for its user-data to finish, then join with the CA pinned. */
export function joinScript(j: JoinInput, timeoutSeconds = 1800): string {
  if (!HASH.test(j.caCertHash)) throw new RunError(`not a CA public key hash (64 hex digits): ${JSON.stringify(j.caCertHash)}`);
  const args = [
    'kubeadm',
    'join',
    `${j.endpoint}:6443`,
    '--token',
    j.token,
    '--discovery-token-ca-cert-hash',
    `sha256:${j.caCertHash}`,
    ...(j.certificateKey ? ['--control-plane', '--certificate-key', j.certificateKey] : []),
  ];
  return [
    `for i in $(seq ${Math.ceil(timeoutSeconds / 5)}); do [ -f ${PREPARED_MARK} ] && break; sleep 5; done`,
    `[ -f ${PREPARED_MARK} ] || { echo "user-data did not finish preparing this node (no ${PREPARED_MARK})" >&2; exit 1; }`,
    args.map(shellQuote).join(' '),
  ].join('\n');
}

/** Runs CA_HASH_SCRIPT on the first control plane (after `kubeadm init`); a RunError unless it prints one hash. */
export async function readCaCertHash(node: ClusterNode, signal?: AbortSignal): Promise<string> {
  const r = await node.exec(['bash', '-c', CA_HASH_SCRIPT], signal ? { signal } : {});
  const hash = r.stdout.trim();
  if (r.exitCode !== 0 || !HASH.test(hash))
    throw new RunError(
      `cannot read the cluster CA's public key hash on ${node.name} (exit ${r.exitCode}): ${r.stderr.trim().split('\n').at(-1) || `printed ${JSON.stringify(hash.slice(0, 80))}`}`,
      { fix: `check kubeadm init on ${node.name}: clusterproof logs, or its console output` },
    );
  return hash;
}

/**
 * Joins the nodes after the first: control planes one at a time (each adds an etcd member), then the workers
 * together. The control planes get the certificate key; a failed join names the node and kubeadm's last line.
 */
export async function joinNodes(
  nodes: ClusterNode[],
  join: Omit<JoinInput, 'certificateKey'> & { certificateKey: string },
  signal?: AbortSignal,
): Promise<void> {
  const run = async (node: ClusterNode): Promise<void> => {
    const input: JoinInput =
      node.role === 'control-plane' ? join : { endpoint: join.endpoint, token: join.token, caCertHash: join.caCertHash };
    const r = await node.exec(['bash', '-c', joinScript(input)], signal ? { signal } : {});
    if (r.exitCode !== 0)
      throw new RunError(`kubeadm join failed on ${node.name} (exit ${r.exitCode}): ${r.stderr.trim().split('\n').at(-1) ?? ''}`);
  };
  for (const cp of nodes.filter((n) => n.role === 'control-plane')) await run(cp);
  await Promise.all(nodes.filter((n) => n.role === 'worker').map(run));
}
