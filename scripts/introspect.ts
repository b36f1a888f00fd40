// npm run introspect -- <token> [--json] (token introspection, docs/asp.md). See tenant-tools.
import { text } from 'node:stream/consumers';
import { loadDotEnv } from '../lib/env.js';
import { processOutput } from '../tenant-tools/cli.js';
import { runIntrospectCommand } from '../tenant-tools/introspect-command.js';
import { startLocalTenant } from '../deploy/cli.js';

loadDotEnv();
process.exitCode = await runIntrospectCommand(
  process.argv.slice(2),
  { variables: process.env, startLocalTenant, readStdin: () => text(process.stdin) },
  processOutput,
);
