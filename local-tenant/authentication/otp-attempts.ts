// Brute-force protection for one-time codes: after MAX_FAILURES wrong codes a user's OTP factor is locked for
// LOCKOUT_MS. Auth0 documents MFA brute-force protection (10 failed attempts block the user for the factor);
// the exact numbers for OTP are not published, we use a smaller, configurable limit.
export interface OtpAttemptPolicy {
  maxFailures: number;
  lockoutMs: number;
}

export const DEFAULT_OTP_ATTEMPT_POLICY: OtpAttemptPolicy = {
  maxFailures: 5,
  lockoutMs: 15 * 60 * 1000,
};

interface AttemptRecord {
  failures: number;
  lockedUntil: number;
  lastUsedStep: number;
}

export class OtpAttemptGuard {
  private readonly records = new Map<string, AttemptRecord>();

  constructor(
    private readonly policy: OtpAttemptPolicy = DEFAULT_OTP_ATTEMPT_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  isLocked(userId: string): boolean {
    return (this.records.get(userId)?.lockedUntil ?? 0) > this.now();
  }

  /**
   * Records the outcome of a verification. A step already used is treated as a failure (replayed code).
   * Returns 'ok', 'invalid' or 'locked' (the attempt that reaches the limit is reported as locked).
   */
  record(userId: string, matchedStep: number | undefined): 'ok' | 'invalid' | 'locked' {
    const record = this.records.get(userId) ?? { failures: 0, lockedUntil: 0, lastUsedStep: -1 };
    this.records.set(userId, record);
    if (record.lockedUntil > this.now()) return 'locked';
    if (matchedStep !== undefined && matchedStep > record.lastUsedStep) {
      record.failures = 0;
      record.lastUsedStep = matchedStep;
      return 'ok';
    }
    record.failures += 1;
    if (record.failures >= this.policy.maxFailures) {
      record.lockedUntil = this.now() + this.policy.lockoutMs;
      record.failures = 0;
      return 'locked';
    }
    return 'invalid';
  }
}
