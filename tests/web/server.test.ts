// The web server: serves the esbuild output and /config.json, nothing else, with a CSP naming exactly the
// tenant and the API. Real build, real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildWeb } from '../../web/build.js';
import { createWebServer } from '../../web/server.js';
import { webConfigSchema, type WebConfig } from '../../web/config-schema.js';

const config: WebConfig = {
  domain: '127.0.0.1:8443',
  clientId: 'spa-client-id',
  audience: 'https://my-banking-api',
  apiUrl: 'http://127.0.0.1:3001',
};
let server: FastifyInstance;
let baseUrl: string;

beforeAll(async () => {
  server = createWebServer({ distDir: await buildWeb(), config });
  baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => server?.close());

describe('web server', () => {
  it('serves the page, with auth0-spa-js bundled (no CDN) and a CSP for the tenant and API only', async () => {
    const page = await fetch(`${baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/app.js">');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' https://127.0.0.1:8443 http://127.0.0.1:3001");

    const app = await fetch(`${baseUrl}/app.js`);
    expect(app.headers.get('content-type')).toContain('text/javascript');
    const script = await app.text();
    expect(script).toContain('auth0-spa-js');
    expect(script).not.toMatch(/import\s*["']https?:/);
  });

  it('serves the callback URL (query string) as the page', async () => {
    const response = await fetch(`${baseUrl}/?code=abc&state=xyz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Banking');
  });

  it("serves /config.json that the page's schema accepts, never cached", async () => {
    const response = await fetch(`${baseUrl}/config.json`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(webConfigSchema.parse(await response.json())).toEqual(config);
  });

  it('serves nothing else (no directory walking)', async () => {
    for (const path of ['/../package.json', '/app.ts', '/src/main.ts', '/.env', '/dist/app.js']) {
      expect((await fetch(`${baseUrl}${path}`)).status, path).toBe(404);
    }
  });
});
