// npm run asp -- create|list|delete … (App Specific Passwords, docs/asp.md). See tenant-tools.
import { loadDotEnv } from '../lib/env.js';
import { runAspCommand } from '../tenant-tools/asp-command.js';
import { processOutput } from '../tenant-tools/cli.js';
import { startLocalTenant } from '../deploy/cli.js';

loadDotEnv();
process.exitCode = await runAspCommand(
  process.argv.slice(2),
  { variables: process.env, startLocalTenant },
  processOutput,
);
