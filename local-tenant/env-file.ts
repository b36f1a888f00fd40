// .local-tenant/.env: what a shell, the SDK and a0deploy need to reach the running local tenant.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { writeFileAtomic } from './state/atomic-file.js';

export interface LocalTenantEnv {
  AUTH0_DOMAIN: string;
  AUTH0_CLIENT_ID: string;
  AUTH0_CLIENT_SECRET: string;
  NODE_EXTRA_CA_CERTS: string;
}

export function envFilePath(stateDir: string): string {
  return join(stateDir, '.env');
}

export function writeEnvFile(stateDir: string, env: LocalTenantEnv): string {
  const path = envFilePath(stateDir);
  const lines = [
    '# Written by `npm run local-tenant`. Source it: set -a; . .local-tenant/.env; set +a',
    ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
  ];
  writeFileAtomic(path, lines.join('\n') + '\n', 0o600);
  return path;
}

export function readEnvFile(stateDir: string): LocalTenantEnv | undefined {
  const path = envFilePath(stateDir);
  if (!existsSync(path)) return undefined;
  const { AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, NODE_EXTRA_CA_CERTS } = parseEnv(
    readFileSync(path, 'utf8'),
  );
  if (!AUTH0_DOMAIN || !AUTH0_CLIENT_ID || !AUTH0_CLIENT_SECRET || !NODE_EXTRA_CA_CERTS)
    return undefined;
  return { AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, NODE_EXTRA_CA_CERTS };
}
