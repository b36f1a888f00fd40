// Injectable faults for resilience tests: on matching requests answer a 5xx, add latency, or drop the
// connection. Controlled in-process (tenant.faults), by the admin endpoint, or LOCAL_TENANT_FAULTS (JSON) at start.
import { z } from 'zod';

export const faultRuleSchema = z.strictObject({
  /** Regular expression matched against the request path (without query string). */
  path: z.string().min(1),
  /** Limit to these methods (upper case); all when absent. */
  methods: z.array(z.string()).optional(),
  /** Share of matching requests affected, 0..1 (default 1). */
  probability: z.number().min(0).max(1).default(1),
  /** Delay before answering (ms). */
  latencyMs: z.number().int().nonnegative().optional(),
  /** Answer with this status (e.g. 500, 503) instead of handling the request. */
  status: z.number().int().min(400).max(599).optional(),
  /** Destroy the socket without answering. */
  drop: z.boolean().optional(),
  /** Stop after affecting this many requests. */
  times: z.number().int().positive().optional(),
});
export type FaultRuleInput = z.input<typeof faultRuleSchema>;
type FaultRule = z.infer<typeof faultRuleSchema> & { id: number; hits: number; pattern: RegExp };

export interface FaultDecision {
  latencyMs: number;
  status?: number;
  drop: boolean;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;

  /** Adds a rule; returns its id for remove(). Throws on invalid rules (bad regex, bad status). */
  add(input: FaultRuleInput): number {
    const rule = faultRuleSchema.parse(input);
    const id = this.nextId++;
    this.rules.push({ ...rule, id, hits: 0, pattern: new RegExp(rule.path) });
    return id;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((rule) => rule.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  list(): (FaultRuleInput & { id: number; hits: number })[] {
    return this.rules.map(({ pattern: _pattern, ...rule }) => rule);
  }

  decide(method: string, path: string): FaultDecision | undefined {
    for (const rule of this.rules) {
      if (rule.methods && !rule.methods.includes(method)) continue;
      if (!rule.pattern.test(path)) continue;
      if (rule.times !== undefined && rule.hits >= rule.times) continue;
      if (Math.random() >= rule.probability) continue;
      rule.hits++;
      return {
        latencyMs: rule.latencyMs ?? 0,
        drop: rule.drop ?? false,
        ...(rule.status ? { status: rule.status } : {}),
      };
    }
    return undefined;
  }
}
