// npm run partner -- create|list|show|rotate-secret|suspend|resume|delete … (README "Partners"). See tenant-tools/partners.
import { loadDotEnv } from '../lib/env.js';
import { processOutput } from '../tenant-tools/cli.js';
import { runPartnerCommand } from '../tenant-tools/partners/command.js';
import { startLocalTenant } from '../deploy/cli.js';

loadDotEnv();
process.exitCode = await runPartnerCommand(
  process.argv.slice(2),
  { variables: process.env, startLocalTenant },
  processOutput,
);
