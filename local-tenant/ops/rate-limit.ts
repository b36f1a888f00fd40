// Token bucket for the Management API, answering like Auth0: 429 with x-ratelimit-limit/remaining/reset.
import { z } from 'zod';

export const rateLimitConfigSchema = z.strictObject({
  /** Bucket size (burst). */
  burst: z.number().int().positive(),
  /** Tokens added per second (sustained rate). */
  perSecond: z.number().positive(),
});
export type RateLimitConfig = z.infer<typeof rateLimitConfigSchema>;

/** Auth0 Free plan Management API limits (docs/auth0-facts.md §5). */
export const rateLimitPresetNames = ['free'] as const;
export const rateLimitPresets = { free: { burst: 2, perSecond: 2 } } satisfies Record<
  (typeof rateLimitPresetNames)[number],
  RateLimitConfig
>;
export type RateLimitPreset = keyof typeof rateLimitPresets;

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private config: RateLimitConfig | undefined;
  private tokens = 0;
  private lastRefill = Date.now();

  constructor(config?: RateLimitConfig | RateLimitPreset) {
    this.configure(config);
  }

  /** undefined switches rate limiting off (the default). */
  configure(config?: RateLimitConfig | RateLimitPreset): void {
    this.config =
      typeof config === 'string'
        ? rateLimitPresets[config]
        : config && rateLimitConfigSchema.parse(config);
    this.tokens = this.config?.burst ?? 0;
    this.lastRefill = Date.now();
  }

  get enabled(): boolean {
    return this.config !== undefined;
  }

  take(): RateLimitDecision {
    const config = this.config;
    if (!config) return { allowed: true, headers: {} };
    const now = Date.now();
    this.tokens = Math.min(
      config.burst,
      this.tokens + ((now - this.lastRefill) / 1000) * config.perSecond,
    );
    this.lastRefill = now;
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    // Reset = UNIX seconds when the next whole token is available.
    const secondsToNextToken = this.tokens >= 1 ? 0 : (1 - this.tokens) / config.perSecond;
    const reset = Math.ceil((now + secondsToNextToken * 1000) / 1000);
    return {
      allowed,
      headers: {
        'x-ratelimit-limit': String(config.burst),
        'x-ratelimit-remaining': String(Math.floor(this.tokens)),
        'x-ratelimit-reset': String(reset),
      },
    };
  }
}
