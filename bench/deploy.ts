// npm run bench:deploy — requests (reads/writes) and wall time of our deploy (first, no-op, one change) and of
// `a0deploy import` of the same tenant.yaml against the same in-process local tenant, measured in one run.
// Targets: a no-op deploy in ≤ 1/10 of a0deploy's requests and ≤ 1/5 of its wall time.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trustCaForFetch } from '../lib/trust-ca.js';
import { envFileSchema } from '../deploy/config/schema.js';
import { resolveVerificationKey } from '../deploy/keys.js';
import { applyPrepared, prepare } from '../deploy/run.js';
import { localTenantTarget } from '../deploy/target/target.js';
import { createDeployWorkspace } from '../deploy/workspace.js';
import { startLocalTenant, type LocalTenant } from '../local-tenant/index.js';

interface Row {
  run: string;
  requests: number;
  reads: number;
  writes: number;
  seconds: number;
}

// Same isolated workspace as the tests: a copy of tenant/, freshly bundled Actions, a key pair made now.
const workspace = await createDeployWorkspace();
const { dir, tenantFile, keysDir } = workspace;
const tenant = await startLocalTenant({ port: 0, persist: false, stateDir: join(dir, 'state') });
// a0deploy uses the global fetch: trust the tenant's CA process-wide (our deploy passes it explicitly).
trustCaForFetch(tenant.caCertPem);
const budgetArg = process.argv.includes('--unthrottled')
  ? { perSecond: 1000, burst: 100 }
  : undefined;

/** All requests (token requests included); reads/writes are Management API calls only. */
function counts(local: LocalTenant): Omit<Row, 'run' | 'seconds'> {
  const { reads, writes } = local.requestLog.summary();
  return { requests: local.requestLog.entries().length, reads, writes };
}

async function measure(run: string, action: () => Promise<void>): Promise<Row> {
  tenant.requestLog.clear();
  const started = performance.now();
  await action();
  const row = { run, ...counts(tenant), seconds: (performance.now() - started) / 1000 };
  process.stderr.write(`${run}: ${row.requests} requests in ${row.seconds.toFixed(1)} s\n`);
  return row;
}

async function ourDeploy(extra: { refresh?: boolean } = {}): Promise<void> {
  const prepared = await prepare({
    ...extra,
    env: 'local',
    tenantFile,
    keysDir,
    variables: {},
    build: false,
    ...(budgetArg ? { budget: budgetArg } : {}),
    target: localTenantTarget(tenant),
  });
  try {
    const outcome = await applyPrepared(prepared, {});
    if (!outcome.result.verified) throw new Error('deploy did not verify');
  } finally {
    await prepared.close();
  }
}

async function a0deployImport(): Promise<void> {
  const { deploy } = await import('auth0-deploy-cli');
  const env = envFileSchema.parse(
    JSON.parse(readFileSync(join(dir, 'tenant', 'env', 'local.json'), 'utf8')),
  );
  await deploy({
    input_file: tenantFile,
    env: false,
    config: {
      AUTH0_DOMAIN: tenant.domain,
      AUTH0_CLIENT_ID: tenant.bootstrap.clientId,
      AUTH0_CLIENT_SECRET: tenant.bootstrap.clientSecret,
      AUTH0_KEYWORD_REPLACE_MAPPINGS: {
        ...env.AUTH0_KEYWORD_REPLACE_MAPPINGS,
        AUTH0_DOMAIN: tenant.domain,
        RESOURCE_SERVER_VERIFICATION_KEY: resolveVerificationKey({ dir: keysDir, variables: {} })
          .publicPem,
      },
    },
  });
}

const rows: Row[] = [];
try {
  rows.push(await measure('our deploy: first (empty tenant)', () => ourDeploy()));
  rows.push(await measure('our deploy: no-op (checkpoint + tenant logs)', ourDeploy));
  rows.push(
    await measure('our deploy: no-op --refresh (full read)', () => ourDeploy({ refresh: true })),
  );
  const original = readFileSync(tenantFile, 'utf8');
  writeFileSync(
    tenantFile,
    original.replace('    token_lifetime: 3600\n', '    token_lifetime: 7200\n'),
  );
  rows.push(await measure('our deploy: one field changed', () => ourDeploy()));
  writeFileSync(tenantFile, original);
  appendFileSync(join(dir, 'dist', 'actions', 'step-up-challenge.js'), '\n// bench: code change\n');
  rows.push(await measure('our deploy: one Action changed', () => ourDeploy()));
  rows.push(await measure('a0deploy import (same tenant.yaml, tenant up to date)', a0deployImport));
} finally {
  await tenant.close();
  workspace.remove();
}

const [, noop, refreshNoop] = rows;
const a0 = rows.at(-1);
if (!noop || !refreshNoop || !a0) throw new Error('bench:deploy: a measurement is missing');
const budget = budgetArg ? `${budgetArg.perSecond} req/s` : 'Free-plan budget 2 req/s, burst 2';
console.log(
  `\nDeploy benchmark (local tenant, no server-side rate limit; our client: ${budget}; a0deploy: its own 3 concurrent / 8 per s)\n`,
);
console.log('| run | requests (all) | Mgmt API reads | Mgmt API writes | wall time (s) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const row of rows)
  console.log(
    `| ${row.run} | ${row.requests} | ${row.reads} | ${row.writes} | ${row.seconds.toFixed(1)} |`,
  );
const requestRatio = noop.requests / a0.requests;
const timeRatio = noop.seconds / a0.seconds;
console.log(
  `\nno-op / a0deploy: requests ${noop.requests}/${a0.requests} = ${requestRatio.toFixed(3)} (target ≤ 0.100: ${requestRatio <= 0.1 ? 'met' : 'NOT met'}), ` +
    `wall time ${timeRatio.toFixed(3)} (target ≤ 0.200: ${timeRatio <= 0.2 ? 'met' : 'NOT met'})`,
);
console.log(
  `no-op --refresh / a0deploy: requests ${refreshNoop.requests}/${a0.requests} = ${(refreshNoop.requests / a0.requests).toFixed(3)}, wall time ${(refreshNoop.seconds / a0.seconds).toFixed(3)}`,
);
