// One HTTP(S) request with an optional extra CA (the local tenant's self-made CA), no redirects followed, no
// global state touched: Node's fetch cannot take a CA without undici's Agent, which is not our dependency.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** PEM of a CA to trust for this request in addition to Node's bundled roots. */
  caCertPem?: string;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export function sendRequest(url: string | URL, options: HttpRequest = {}): Promise<HttpResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: options.method ?? 'GET',
        headers: {
          ...(options.body !== undefined
            ? { 'content-length': String(Buffer.byteLength(options.body)) }
            : {}),
          ...options.headers,
        },
        ...(options.caCertPem ? { ca: options.caCertPem } : {}),
        timeout: options.timeoutMs ?? 15_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () =>
      request.destroy(
        new Error(`${options.method ?? 'GET'} ${target.origin}${target.pathname}: timed out`),
      ),
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

export function parseJson(response: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    throw new Error(
      `${what}: expected JSON, got HTTP ${response.status}: ${response.text.slice(0, 200)}`,
    );
  }
}
