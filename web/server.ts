// Serves the built banking page and its /config.json. Only the files the build writes are served (no directory
// walking), with a Content-Security-Policy that lets the page talk to exactly its tenant and API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { WebConfig } from './config-schema.js';

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.js.map': { file: 'app.js.map', type: 'application/json' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

export interface WebServerOptions {
  distDir: string;
  config: WebConfig;
}

function contentSecurityPolicy(config: WebConfig): string {
  const connect = ["'self'", `https://${config.domain}`, new URL(config.apiUrl).origin].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    `frame-src https://${config.domain}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function createWebServer({ distDir, config }: WebServerOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  // Read once: the build runs before the server starts; a missing file is a startup error, not a 404 later.
  const bodies = new Map(
    Object.entries(FILES).map(([path, { file }]) => [path, readFileSync(join(distDir, file))]),
  );
  const csp = contentSecurityPolicy(config);

  app.get('/config.json', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send(config),
  );
  for (const [path, { type }] of Object.entries(FILES)) {
    app.get(path, async (_request, reply) =>
      reply
        .type(type)
        .header('content-security-policy', csp)
        .header('x-content-type-options', 'nosniff')
        .send(bodies.get(path)),
    );
  }
  return app;
}
