// Raw GETs against the API server with the kubeconfig's credentials (via client-node's KubeConfig).
// Raw JSON rather than client-node's typed models: the models turn timestamps into Date objects and drop fields
// they do not know, while the files path keeps exactly what kubectl prints. Same bytes in, same state out.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { RunError } from '../../errors.ts';
import { MAX_RETRIES, retryAfterSeconds } from '../../kubernetes/apiClient.ts';

export class ApiStatusError extends Error {
  readonly status: number;
  /** Seconds the server asked us to wait before asking again (429/5xx with Retry-After); undefined: final. */
  readonly retryAfter: number | undefined;
  constructor(status: number, message: string, retryAfter?: number) {
    super(message);
    this.name = 'ApiStatusError';
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

export interface ApiClient {
  server: string;
  get(path: string): Promise<unknown>;
}

export function apiClient(kc: KubeConfig, timeoutMs: number): ApiClient {
  const server = kc.getCurrentCluster()?.server ?? '';
  return {
    server,
    async get(path) {
      // Same Retry-After rule as the typed clients (harness/kubernetes/apiClient.ts).
      for (let attempt = 0; ; attempt++) {
        try {
          return await getOnce(path);
        } catch (error) {
          if (!(error instanceof ApiStatusError) || error.retryAfter === undefined || attempt >= MAX_RETRIES) throw error;
          await new Promise((r) => setTimeout(r, (error.retryAfter ?? 0) * 1000));
        }
      }
    },
  };

  async function getOnce(path: string): Promise<unknown> {
    // Keep a path prefix in the server URL (e.g. behind a proxy): append, do not resolve.
    const url = new URL(`${server.replace(/\/+$/, '')}${path}`);
    const options: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' }, timeout: timeoutMs };
    await kc.applyToHTTPSOptions(options);
    const plain = url.protocol === 'http:';
    // `kubectl proxy` style plain-HTTP servers: client-node's agent is an https.Agent, which http.request refuses.
    if (plain) delete options.agent;
    const transport = plain ? http : https;
    return new Promise<unknown>((resolve, reject) => {
      const req = transport.request(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            const retryAfter = retryAfterSeconds(status, headerValue(res.headers['retry-after']));
            reject(new ApiStatusError(status, `GET ${path}: HTTP ${status} ${statusMessage(body)}`, retryAfter));
            return;
          }
          try {
            resolve(JSON.parse(body) as unknown);
          } catch (error) {
            reject(
              new RunError(`GET ${server}${path}: the response is not JSON`, {
                cause: error,
                fix: 'check the kubeconfig server URL points at a Kubernetes API server',
              }),
            );
          }
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    });
  }
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The `message` of a Kubernetes Status body, or the start of the body. */
function statusMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not a Status object
  }
  return body.slice(0, 200);
}
