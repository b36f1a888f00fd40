// Prints the scenario as it happens: the request, the status and the claim that decided it, one block per step.
import { SCENARIO_STEPS, type StepResult } from '../../lib/banking-scenario.js';
import type { LoginHop } from './hosted-login.js';

export type Print = (line: string) => void;

const HOP_TEXT: Record<LoginHop['kind'], string> = {
  redirect: 'redirect',
  'login-page': 'hosted login page: username + password submitted',
  'mfa-enrollment-page':
    'MFA enrollment page: TOTP secret enrolled, one-time code ****** computed from it (RFC 6238)',
  'mfa-challenge-page':
    'MFA page: one-time code ****** computed from the enrolled TOTP secret (RFC 6238)',
  callback: 'back to the app with ?code=…&state=…',
  token: 'code + PKCE verifier exchanged for tokens',
};

export class Narrator {
  private stepNumber = 0;

  constructor(private readonly print: Print) {}

  section(title: string): void {
    this.print('');
    this.print(`== ${title}`);
  }

  info(line: string): void {
    this.print(`   ${line}`);
  }

  hops(hops: readonly LoginHop[]): void {
    for (const hop of hops) {
      if (hop.kind === 'redirect') continue;
      this.print(`     ${hop.request} → ${hop.status}  (${HOP_TEXT[hop.kind]})`);
    }
  }

  step(result: StepResult, hops: readonly LoginHop[] = []): void {
    this.stepNumber += 1;
    this.print('');
    const flowSteps = SCENARIO_STEPS.find((step) => step.id === result.id)?.flowSteps;
    const flowLabel = flowSteps
      ? `  (flow ${flowSteps.includes('–') ? 'steps' : 'step'} ${flowSteps})`
      : '';
    this.print(`[${this.stepNumber}] ${result.title}${flowLabel}`);
    this.print(`   request:  ${result.request}`);
    this.hops(hops);
    this.print(`   status:   ${result.status === 'token' ? 'tokens issued' : result.status}`);
    this.print(`   deciding: ${result.decidingClaim}`);
    if (result.detail)
      this.print(
        `   body:     ${result.detail.length > 300 ? `${result.detail.slice(0, 300)}…` : result.detail}`,
      );
    this.print(`   ${result.passed ? 'PASS' : 'FAIL'}: expected ${result.expectation}`);
  }
}
