// The one place a kubeconfig is read: a file (or the default chain: $KUBECONFIG, ~/.kube/config, in-cluster) and
// an optional context. A problem is a KubeconfigError naming the file and, for a wrong context, the ones it has, so
// each caller turns it into its own error type (input error for `collect`, run error for the provider) unchanged.
import { KubeConfig } from '@kubernetes/client-node';
import { errorMessage } from '../errors.ts';

export interface KubeconfigTarget {
  /** Path to a kubeconfig; absent: client-node's default chain. */
  kubeconfig?: string | undefined;
  /** Context to use; absent: the file's current-context. */
  context?: string | undefined;
}

export class KubeconfigError extends Error {
  readonly problem: 'unreadable' | 'unknown-context';
  /** Context names the kubeconfig does have (unknown-context). */
  readonly contexts: string[];
  constructor(problem: 'unreadable' | 'unknown-context', message: string, contexts: string[], options?: ErrorOptions) {
    super(message, options);
    this.problem = problem;
    this.contexts = contexts;
  }
}

export function loadKubeConfig(target: KubeconfigTarget): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (target.kubeconfig) kc.loadFromFile(target.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new KubeconfigError('unreadable', errorMessage(error), [], { cause: error });
  }
  if (target.context) {
    const contexts = kc.getContexts().map((c) => c.name);
    if (!contexts.includes(target.context))
      throw new KubeconfigError('unknown-context', `context ${JSON.stringify(target.context)} not found`, contexts);
    kc.setCurrentContext(target.context);
  }
  return kc;
}
