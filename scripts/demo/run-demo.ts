// `npm run demo` as a function (the e2e test calls it): start the stack, play the scenario, stop everything.
import { join } from 'node:path';
import { SCENARIO_STEPS, type StepResult } from '../../lib/banking-scenario.js';
import { totpCode, totpStep } from '../../local-tenant/authentication/totp.js';
import { Narrator, type Print } from './narrator.js';
import { enrollTotp, playScenario, type ScenarioTarget } from './scenario.js';
import { SPA_CLIENT_NAME } from '../../web/client-lookup.js';
import { startDemoStack } from './stack.js';

export interface DemoOptions {
  print?: Print;
  /** Reuse a CA directory (tests); default a fresh one in the temporary state. */
  caDir?: string;
}

export interface DemoReport {
  steps: StepResult[];
  /** Every scenario step ran and passed. */
  passed: boolean;
  /** Why the demo stopped early, if it did. */
  error?: string;
}

const repoRoot = join(import.meta.dirname, '..', '..');
const TOTP_STEP_MS = 30_000;

/**
 * An authenticator app that never shows the same code twice: the tenant accepts each time step once, in increasing
 * order (replay protection), within one step either side of now. So three codes are valid at once: the previous
 * step's (used only while 10 s of the current step remain, so that it is still within the window when the tenant
 * checks it), the current one and the next. Past those it waits for the clock, as a person would.
 */
export function freshTotpCodes(): (secret: string) => Promise<string> {
  let lastStep = -Infinity;
  return async (secret) => {
    for (;;) {
      const now = Date.now();
      const current = totpStep(now);
      const leftInStep = TOTP_STEP_MS - (now % TOTP_STEP_MS);
      const step = Math.max(leftInStep > 10_000 ? current - 1 : current, lastStep + 1);
      if (step <= current + 1) {
        lastStep = step;
        return totpCode(secret, step * TOTP_STEP_MS);
      }
      await new Promise((resolve) => setTimeout(resolve, leftInStep + 50));
    }
  };
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const narrator = new Narrator(options.print ?? ((line) => process.stdout.write(`${line}\n`)));
  let steps: StepResult[] = [];
  let error: string | undefined;
  narrator.section('Setting up: local tenant → deploy tenant/ → banking API');
  let stack: Awaited<ReturnType<typeof startDemoStack>> | undefined;
  try {
    stack = await startDemoStack({
      repoRoot,
      ...(options.caDir ? { caDir: options.caDir } : {}),
      progress: (line) => narrator.info(line),
    });
    const { planned, applied } = stack.deploy;
    narrator.info(
      `deployed tenant/ (env local): ${planned.create} to create, ${planned.update} to update → ${applied} applied, verified`,
    );
    narrator.info(
      `"${SPA_CLIENT_NAME}" has client_id ${stack.spaClientId} on this tenant; demo user ${stack.user.email}`,
    );

    const redirectUri = stack.deploy.callbacksOf(SPA_CLIENT_NAME)[0];
    if (!redirectUri)
      throw new Error(`tenant/env/local.json gives "${SPA_CLIENT_NAME}" no callback URL`);
    const target: ScenarioTarget = {
      domain: stack.tenant.domain,
      caCertPem: stack.tenant.caCertPem,
      spaClientId: stack.spaClientId,
      redirectUri,
      apiUrl: stack.apiUrl,
      username: stack.user.email,
      password: stack.user.password,
      totpCode: freshTotpCodes(),
    };
    const totpSecret = await enrollTotp(target, narrator);

    narrator.section('The step-up scenario');
    steps = await playScenario(target, totpSecret, narrator);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  } finally {
    narrator.section('Stopping everything the demo started');
    await stack?.close();
    narrator.info('banking API and local tenant stopped, temporary state removed');
  }
  const passed =
    !error && steps.length === SCENARIO_STEPS.length && steps.every((step) => step.passed);
  narrator.section(
    passed ? `PASS: all ${steps.length} steps behaved as the step-up flow expects` : 'FAIL',
  );
  if (error) narrator.info(`stopped early: ${error}`);
  for (const step of steps.filter((candidate) => !candidate.passed))
    narrator.info(
      `${step.title}: expected ${step.expectation}, got ${step.status} (${step.decidingClaim})`,
    );
  return { steps, passed, ...(error ? { error } : {}) };
}
