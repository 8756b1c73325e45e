// Typed Kubernetes API clients for every part of clusterproof that talks to a cluster. Same as client-node's
// KubeConfig.makeApiClient, with one difference client-go users take for granted: a response that says when to
// come back (429 or 5xx with Retry-After, e.g. "storage is (re)initializing" from an apiserver whose watch cache
// is rebuilding after a restart) is retried after that delay, at most MAX_RETRIES times, like client-go's
// rest client. Anything else — including 429 without Retry-After — reaches the caller unchanged.
import {
  createConfiguration,
  IsomorphicFetchHttpLibrary,
  ServerConfiguration,
  wrapHttpLibrary,
  type Configuration,
  type KubeConfig,
  type PromiseHttpLibrary,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';

/** client-go's default (rest.Request maxRetries). */
export const MAX_RETRIES = 10;
/** A server may ask for longer; a live check waits at most this per retry, so its own deadlines still hold. */
const MAX_WAIT_SECONDS = 5;

/** Seconds to wait before retrying, or undefined when the response is final. */
export function retryAfterSeconds(status: number, retryAfter: string | undefined): number | undefined {
  if (status !== 429 && status < 500) return undefined;
  if (retryAfter === undefined || !/^\d+$/.test(retryAfter.trim())) return undefined;
  return Math.min(Number(retryAfter.trim()), MAX_WAIT_SECONDS);
}

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

class RetryAfterHttpLibrary implements PromiseHttpLibrary {
  private readonly inner = new IsomorphicFetchHttpLibrary();

  async send(request: RequestContext): Promise<ResponseContext> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.inner.send(request).toPromise();
      const wait = retryAfterSeconds(response.httpStatusCode, response.headers['retry-after']);
      if (wait === undefined || attempt >= MAX_RETRIES || request.getSignal()?.aborted) return response;
      await response.body.text().catch(() => undefined); // release the connection before asking again
      await sleep(wait * 1000, request.getSignal());
    }
  }
}

function configuration(kc: KubeConfig): Configuration {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster (set a current-context or pass --context)');
  return createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
    httpApi: wrapHttpLibrary(new RetryAfterHttpLibrary()),
  });
}

export function makeApiClient<T>(kc: KubeConfig, api: new (config: Configuration) => T): T {
  return new api(configuration(kc));
}
