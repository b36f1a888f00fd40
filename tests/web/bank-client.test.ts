// The app's pure helpers: euros typed by a person → integer cents, cents → display, and which API answers mean
// "step up and retry" (and which must not loop back to the login).
import { describe, expect, it } from 'vitest';
import { formatCents, needsStepUp, parseAmountToCents } from '../../web/src/bank-client.js';

describe('parseAmountToCents', () => {
  it.each([
    ['25', 2_500],
    ['25.5', 2_550],
    ['25.05', 2_505],
    ['25,05', 2_505],
    ['1,234.50', 123_450],
    [' €12.34 ', 1_234],
    ['0.01', 1],
  ])('%s → %i cents', (text, cents) => expect(parseAmountToCents(text)).toBe(cents));

  it.each(['', '0', '0.00', '-5', '1.234', 'abc', '1e3', '12.', '.5', '1,23,4'])(
    'refuses %j',
    (text) => expect(parseAmountToCents(text)).toBeUndefined(),
  );
});

describe('formatCents', () => {
  it('shows integer cents as euros', () => {
    expect(formatCents(250_000)).toBe('€2,500.00');
    expect(formatCents(1)).toBe('€0.01');
  });
});

describe('needsStepUp', () => {
  const answer = (status: number, body: Record<string, unknown>) => ({ status, body });
  it('is true for the step-up signals of the banking API', () => {
    expect(needsStepUp(answer(403, { error: 'insufficient_scope', scope: 'transfer:funds' }))).toBe(
      true,
    );
    expect(needsStepUp(answer(401, { error: 'insufficient_user_authentication' }))).toBe(true);
    expect(
      needsStepUp(
        answer(401, { error: 'invalid_token', error_description: 'transfer token already used' }),
      ),
    ).toBe(true);
  });
  it('is false for answers a new login cannot fix', () => {
    expect(
      needsStepUp(
        answer(401, { error: 'invalid_token', error_description: 'token expired (exp)' }),
      ),
    ).toBe(false);
    expect(needsStepUp(answer(422, { error: 'insufficient_funds' }))).toBe(false);
    expect(needsStepUp(answer(422, { error: 'idempotency_key_reused' }))).toBe(false);
    expect(needsStepUp(answer(400, { error: 'invalid_body' }))).toBe(false);
    expect(needsStepUp(answer(200, {}))).toBe(false);
  });
});
