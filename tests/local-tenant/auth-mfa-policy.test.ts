// When MFA is required at the end of the flow: the guardian policy "all-applications", an Action's
// multifactor.enable (which overrides the policy, 'none' skipping it) and allowRememberBrowser per SSO session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../local-tenant/authentication/totp.js';
import { pkcePair, textOf, type BrowserAgent } from '../helpers/auth-browser-agent.js';
import {
  SPA_CALLBACK,
  USER_PASSWORD,
  startAuthFixture,
  type AuthFixture,
} from '../helpers/auth-fixture.js';

const MFA_ACR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';
let fx: AuthFixture;
beforeAll(async () => {
  fx = await startAuthFixture();
});
afterAll(async () => fx?.close());

function authorize(extra: Record<string, string> = {}): string {
  const { challenge } = pkcePair();
  return `${fx.origin}/authorize?${new URLSearchParams({
    client_id: fx.spaClientId,
    redirect_uri: SPA_CALLBACK,
    response_type: 'code',
    scope: 'openid',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  })}`;
}

async function login(agent: BrowserAgent, email: string, extra: Record<string, string> = {}) {
  const { page } = await agent.navigate('GET', authorize(extra));
  return agent.submit(page!, { username: email, password: USER_PASSWORD });
}

const enableAction = (options: string) =>
  `exports.onExecutePostLogin = async (event, api) => { api.multifactor.enable(${options}); };`;

describe('MFA required at the end of the flow', () => {
  it('enrolls a new user when the guardian policy is all-applications, unless an Action enables "none"', async () => {
    await fx.mgmt('PUT', '/guardian/policies', ['all-applications']);
    await fx.createUser('policy@example.com');
    const enrollment = await login(fx.browser(), 'policy@example.com');
    expect(enrollment.page?.url).toContain('/u/mfa-otp-enrollment');
    const secret = textOf(enrollment.page!.body, 'otp-secret')!;
    const agent = fx.browser();
    const challenged = await login(agent, 'policy@example.com');
    expect(challenged.page?.url).toContain('/u/mfa-otp-enrollment'); // the first enrollment was never finished
    const done = await agent.submit(challenged.page!, {
      code: totpCode(textOf(challenged.page!.body, 'otp-secret')!),
    });
    expect(done.callback?.searchParams.get('code')).toBeTruthy();
    expect(secret).not.toBe(textOf(challenged.page!.body, 'otp-secret'));

    await fx.bindPostLogin([await fx.deployAction('skip-mfa', enableAction(`'none'`))]);
    const skipped = await login(fx.browser(), 'policy@example.com');
    expect(skipped.callback?.searchParams.get('code')).toBeTruthy();
    await fx.mgmt('PUT', '/guardian/policies', []);
    await fx.bindPostLogin([]);
  });

  it('remembers the browser for the SSO session only with allowRememberBrowser, and acr_values still forces MFA', async () => {
    for (const remember of [true, false]) {
      // One user per round: a TOTP time step is accepted once per user.
      const email = `remember-${remember}@example.com`;
      await fx.createUser(email);
      const secret = await fx.enrollOtp(email);
      await fx.bindPostLogin([
        await fx.deployAction(
          `mfa-remember-${remember}`,
          enableAction(`'any', { allowRememberBrowser: ${remember} }`),
        ),
      ]);
      const agent = fx.browser();
      const first = await login(agent, email);
      expect(first.page?.url).toContain('/u/mfa-otp-challenge');
      const passed = await agent.submit(first.page!, {
        code: totpCode(secret, Date.now() + 30_000),
      });
      expect(passed.callback?.searchParams.get('code')).toBeTruthy();
      const again = await agent.navigate('GET', authorize());
      if (remember) {
        expect(again.callback?.searchParams.get('code')).toBeTruthy();
        const forced = await agent.navigate('GET', authorize({ acr_values: MFA_ACR }));
        expect(forced.page?.url).toContain('/u/mfa-otp-challenge');
      } else {
        expect(again.page?.url).toContain('/u/mfa-otp-challenge');
      }
    }
  });
});
