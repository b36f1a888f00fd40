// The credentials-exchange Action for partners, run against the TypeScript source and against its esbuild bundle
// loaded in node:vm (what the tenant runs): suspended partners get no token, active ones get the partner claim,
// other machine-to-machine clients pass untouched.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleActions } from '../../actions/bundle.js';
import * as source from '../../actions/src/partner-access.js';
import {
  TEST_PARTNER_CLIENT_ID,
  buildCredentialsExchangeEvent,
  loadCredentialsExchangeAction,
  runCredentialsExchange,
} from '../../actions/testkit/index.js';
import type { OnExecuteCredentialsExchange } from '../../actions/types/credentials-exchange.js';

const PARTNER_CLAIM = 'https://my-banking-api/partner_id';
let workDir = '';
let bundled: OnExecuteCredentialsExchange | undefined;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'partner-access-test-'));
  const bundles = await bundleActions({ outDir: workDir });
  const bundle = bundles.find((candidate) => candidate.name === 'partner-access');
  if (!bundle) throw new Error('no partner-access bundle');
  bundled = loadCredentialsExchangeAction(bundle.code, { filename: 'partner-access.js' });
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

const variants: { label: string; action: () => OnExecuteCredentialsExchange }[] = [
  { label: 'source', action: () => source.onExecuteCredentialsExchange },
  { label: 'bundle', action: () => bundled! },
];

describe.each(variants)('partner-access ($label)', ({ action }) => {
  it('stamps an active partner’s token with its partner id', async () => {
    const { outcome, recorder } = await runCredentialsExchange(
      action(),
      buildCredentialsExchangeEvent(),
    );
    expect(outcome).toBe('issued');
    expect(recorder.accessToken.claims).toEqual({ [PARTNER_CLAIM]: TEST_PARTNER_CLIENT_ID });
  });

  it('refuses a suspended partner with a reason naming it', async () => {
    const event = buildCredentialsExchangeEvent({
      client: { metadata: { partner: 'true', partner_status: 'suspended' } },
    });
    const { outcome, recorder } = await runCredentialsExchange(action(), event);
    expect(outcome).toBe('denied');
    expect(recorder.denied).toEqual({
      code: 'invalid_request',
      reason: `partner ${TEST_PARTNER_CLIENT_ID} is suspended`,
    });
    expect(recorder.accessToken.claims).toEqual({});
  });

  it('refuses a partner whose status is missing or unknown (fails closed)', async () => {
    const metadatas: Record<string, string>[] = [
      { partner: 'true' },
      { partner: 'true', partner_status: 'paused' },
    ];
    for (const metadata of metadatas) {
      const { outcome, recorder } = await runCredentialsExchange(
        action(),
        buildCredentialsExchangeEvent({ client: { metadata } }),
      );
      expect(outcome).toBe('denied');
      expect(recorder.denied?.reason).toContain('has no valid status');
    }
  });

  it('refuses a partner token that would carry transfer:funds', async () => {
    const event = buildCredentialsExchangeEvent({
      accessToken: { scope: ['view:balance', 'transfer:funds'] },
    });
    const { outcome, recorder } = await runCredentialsExchange(action(), event);
    expect(outcome).toBe('denied');
    expect(recorder.denied?.code).toBe('invalid_scope');
  });

  it('leaves clients that are not partners alone, whatever their metadata says otherwise', async () => {
    const metadatas: Record<string, string>[] = [
      {},
      { partner: 'false', partner_status: 'suspended' },
    ];
    for (const metadata of metadatas) {
      const { outcome, recorder } = await runCredentialsExchange(
        action(),
        buildCredentialsExchangeEvent({ client: { metadata } }),
      );
      expect(outcome).toBe('issued');
      expect(recorder.calls).toEqual([]);
    }
  });

  it('adds no claim for another API, or when the banking API secret is missing', async () => {
    const otherApi = buildCredentialsExchangeEvent({
      resource_server: { identifier: 'https://127.0.0.1/api/v2/' },
    });
    const noSecret = { ...buildCredentialsExchangeEvent(), secrets: {} };
    for (const event of [otherApi, noSecret]) {
      const { outcome, recorder } = await runCredentialsExchange(action(), event);
      expect(outcome).toBe('issued');
      expect(recorder.accessToken.claims).toEqual({});
    }
  });
});

describe('the credentials-exchange test kit', () => {
  it('drops restricted claim names the way Auth0 does', async () => {
    const { recorder } = await runCredentialsExchange(async (_event, api) => {
      api.accessToken.setCustomClaim('sub', 'someone-else');
      api.accessToken.setCustomClaim('https://example.com/x', 1);
    }, buildCredentialsExchangeEvent());
    expect(recorder.accessToken).toEqual({
      claims: { 'https://example.com/x': 1 },
      droppedClaims: ['sub'],
    });
  });

  it('says so when a bundle has no onExecuteCredentialsExchange', () => {
    expect(() =>
      loadCredentialsExchangeAction('exports.onExecutePostLogin = async () => {};'),
    ).toThrow(/does not export an onExecuteCredentialsExchange function/);
  });
});
