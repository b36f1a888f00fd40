import { describe, expect, it } from 'vitest';
import { runAspCommand } from '../../lib/tenant-tools/asp-command.js';
import { captureOutput, useDeployedTenant } from './fixture.js';

const fixture = useDeployedTenant();
describe('smoke', () => {
  it('creates', async () => {
    const output = captureOutput();
    const code = await runAspCommand(['create', '--user', 'demo@example.com', '--label', 'x', '--scope', 'view:balance'], fixture.environment, output);
    console.log(code, output.out, output.err);
    expect(code).toBe(0);
  });
});
