// A real TLS handshake to one resolved address of the API server, verified against the kubeconfig's CA for the
// kubeconfig's host name, then GET /version: proof that a Kubernetes apiserver, not just some TLS port, answers.
import { request, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { KubeConfig } from '@kubernetes/client-node';

export interface HandshakeResult {
  address: string;
  tlsProtocol: string;
  peerSubject: string;
  peerIssuer: string;
  httpStatus: number;
  gitVersion: string | undefined;
}

export async function handshakeAndVersion(kc: KubeConfig, server: string, address: string, timeoutMs = 10_000): Promise<HandshakeResult> {
  const url = new URL(server);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: RequestOptions = { method: 'GET', timeout: timeoutMs };
  await kc.applyToHTTPSOptions(options);
  return new Promise<HandshakeResult>((resolve, reject) => {
    const req = request(
      {
        ...options,
        agent: false,
        host: address,
        port: url.port === '' ? 443 : Number(url.port),
        path: `${url.pathname.replace(/\/+$/, '')}/version`,
        // Certificate checked for the name the kubeconfig uses, while the packets go to the address we vetted
        // (an IP-literal server is checked against the certificate's IP SANs through `host`; SNI takes no IPs).
        ...(isIP(hostname) === 0 ? { servername: hostname } : {}),
        headers: { Accept: 'application/json', Host: url.host },
      },
      (res) => {
        const socket = res.socket as TLSSocket;
        const cert = socket.getPeerCertificate();
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => {
          let gitVersion: string | undefined;
          try {
            const parsed = JSON.parse(body) as { gitVersion?: unknown };
            gitVersion = typeof parsed.gitVersion === 'string' ? parsed.gitVersion : undefined;
          } catch {
            gitVersion = undefined;
          }
          resolve({
            address,
            tlsProtocol: socket.getProtocol() ?? 'unknown',
            peerSubject: cert.subject
              ? Object.entries(cert.subject)
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(', ')
              : '',
            peerIssuer: cert.issuer
              ? Object.entries(cert.issuer)
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(', ')
              : '',
            httpStatus: res.statusCode ?? 0,
            gitVersion,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${address} within ${timeoutMs} ms`)));
    req.on('error', (error) => reject(new Error(`TLS to ${address} (${server}) failed: ${error.message}`, { cause: error })));
    req.end();
  });
}
