// A real Auth0 tenant answers 400 "Additional properties not allowed: verificationKey"
// (docs/auth0-facts.md §7): the deploy warns and sends the rest, unless the env file makes the key
// required.
import { ManagementError } from 'auth0';
import { describe, expect, it } from 'vitest';
import type { DesiredState } from '../../deploy/config/load.js';
import { withVerificationKeyFallback } from '../../deploy/resources/resource-servers.js';
import type { Body, Refusal, ResourceContext } from '../../deploy/resources/types.js';

const rejection = new ManagementError({
  message: 'BadRequestError',
  statusCode: 400,
  body: {
    statusCode: 400,
    error: 'Bad Request',
    message: "Payload validation error: 'Additional properties not allowed: verificationKey'.",
    errorCode: 'invalid_body',
  },
});

function contextFor(required: boolean, refusals: Refusal[]): ResourceContext {
  return {
    desired: {
      deploy: { users: [], verificationKeyRequired: required },
    } as unknown as DesiredState,
    refuse: (refusal: Refusal) => refusals.push(refusal),
  } as unknown as ResourceContext;
}

/** Stands in for the tenant's answer: rejects any body that carries verificationKey, accepts the rest. */
function realAuth0(sent: Body[]) {
  return async (body: Body) => {
    sent.push(body);
    if ('verificationKey' in body) throw rejection;
    return { id: 'rs_1' };
  };
}

describe('verificationKey on a tenant that does not support it', () => {
  it('records the refusal as data, warns clearly and sends everything else', async () => {
    const refusals: Refusal[] = [];
    const sent: Body[] = [];
    const result = await withVerificationKeyFallback(
      contextFor(false, refusals),
      'https://api',
      { name: 'API', verificationKey: 'PEM' },
      realAuth0(sent),
    );
    expect(result).toEqual({ id: 'rs_1' });
    expect(sent).toEqual([{ name: 'API', verificationKey: 'PEM' }, { name: 'API' }]);
    expect(refusals).toEqual([
      {
        type: 'resourceServers',
        key: 'https://api',
        fields: ['verificationKey'],
        message: expect.stringContaining('the tenant rejected verificationKey'),
      },
    ]);
  });

  it('fails when the env file marks it required', async () => {
    const sent: Body[] = [];
    await expect(
      withVerificationKeyFallback(
        contextFor(true, []),
        'https://api',
        { name: 'API', verificationKey: 'PEM' },
        realAuth0(sent),
      ),
    ).rejects.toBe(rejection);
    expect(sent).toHaveLength(1);
  });

  it('does not swallow other 400s', async () => {
    const other = new ManagementError({
      message: 'BadRequestError',
      statusCode: 400,
      body: { message: 'token_lifetime too large' },
    });
    await expect(
      withVerificationKeyFallback(
        contextFor(false, []),
        'https://api',
        { verificationKey: 'PEM', token_lifetime: 1e9 },
        async () => {
          throw other;
        },
      ),
    ).rejects.toBe(other);
  });
});
