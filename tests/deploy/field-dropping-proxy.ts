// A tiny HTTPS proxy in front of a local tenant that behaves like a real Auth0 tenant accepting a write without
// applying one property: it removes that field from matching request bodies and still forwards the request, so
// the tenant answers 200 and the field stays as it was. Everything else passes through unchanged (real HTTP).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureTlsMaterial } from '../../local-tenant/tls.js';
import type { LocalTenant } from '../../local-tenant/index.js';
import { testCaDir } from '../helpers/local-tenant.js';

export interface DropRule {
  method: string;
  /** Matched against the path without query string. */
  path: RegExp;
  /** Top-level body field the "tenant" silently ignores. */
  field: string;
}

export interface FieldDroppingProxy {
  /** '127.0.0.1:PORT': the AUTH0_DOMAIN to deploy to. */
  domain: string;
  /** "METHOD /path field" for every field dropped. */
  dropped: string[];
  close(): Promise<void>;
}

const hopByHop = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'content-encoding',
  'keep-alive',
]);

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function translate(text: string, from: string, to: string): string {
  return text.replaceAll(from, to).replaceAll(encodeURIComponent(from), encodeURIComponent(to));
}

export async function startFieldDroppingProxy(
  upstream: LocalTenant,
  rule: DropRule,
): Promise<FieldDroppingProxy> {
  const tls = await ensureTlsMaterial(testCaDir());
  const dropped: string[] = [];
  let domain = '';

  const forward = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'https://proxy.invalid');
    let body = await readBody(request);
    if (method === rule.method && rule.path.test(url.pathname) && body) {
      const json = JSON.parse(body) as Record<string, unknown>;
      if (rule.field in json) {
        delete json[rule.field];
        dropped.push(`${method} ${url.pathname} ${rule.field}`);
        body = JSON.stringify(json);
      }
    }
    // The proxy is the tenant's domain as far as the deploy knows (token audience, the Management API grant's
    // audience): names are translated both ways.
    body = translate(body, domain, upstream.domain);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers))
      if (!hopByHop.has(name) && typeof value === 'string') headers.set(name, value);
    const answer = await fetch(`${upstream.baseUrl}${url.pathname}${url.search}`, {
      method,
      headers,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
    });
    const outgoing: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!hopByHop.has(name)) outgoing[name] = value;
    });
    response.writeHead(answer.status, outgoing);
    response.end(translate(await answer.text(), upstream.domain, domain));
  };

  const server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, (req, res) => {
    forward(req, res).catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ statusCode: 502, message: `proxy: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  domain = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    domain,
    dropped,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
