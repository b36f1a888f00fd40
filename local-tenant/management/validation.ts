// Request-body validation with zod, reported the way Auth0's Management API reports it:
// 400 invalid_body "Payload validation error: '<detail>' on property <path>."
import type { z } from 'zod';
import { badRequest } from '../errors.js';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    const entries: [string, unknown][] = Object.entries(current);
    current = entries.find(([name]) => name === String(key))?.[1];
  }
  return current;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = issue.path.map(String).join('.');
  const onProperty = path ? ` on property ${path}` : '';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `Payload validation error: 'Additional properties not allowed: ${issue.keys.join(',')}'${onProperty}.`;
    case 'invalid_type': {
      const actual = valueAt(input, issue.path);
      if (actual === undefined && issue.path.length > 0) {
        const parent = issue.path.slice(0, -1).map(String).join('.');
        return `Payload validation error: 'Missing required property: ${String(issue.path.at(-1))}'${parent ? ` on property ${parent}` : ''}.`;
      }
      return `Payload validation error: 'Expected type ${issue.expected} but found type ${typeName(actual)}'${onProperty}.`;
    }
    case 'too_small':
      return issue.origin === 'string'
        ? `Payload validation error: 'String is too short (${String(valueAt(input, issue.path)).length} chars), minimum ${String(issue.minimum)}'${onProperty}.`
        : `Payload validation error: 'Value ${String(valueAt(input, issue.path))} is less than minimum ${String(issue.minimum)}'${onProperty}.`;
    case 'too_big':
      return issue.origin === 'string'
        ? `Payload validation error: 'String is too long (${String(valueAt(input, issue.path)).length} chars), maximum ${String(issue.maximum)}'${onProperty}.`
        : `Payload validation error: 'Value ${String(valueAt(input, issue.path))} is greater than maximum ${String(issue.maximum)}'${onProperty}.`;
    case 'invalid_value':
      return `Payload validation error: 'No enum match for: ${JSON.stringify(valueAt(input, issue.path))}'${onProperty}.`;
    default:
      return `Payload validation error: '${issue.message}'${onProperty}.`;
  }
}

/** Parses `input` with `schema` or throws Auth0's 400 invalid_body for the first problem. */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input === undefined ? null : input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw badRequest('Payload validation error.');
  if (issue.path.length === 0 && issue.code === 'invalid_type') {
    throw badRequest(
      `Payload validation error: 'Expected type ${issue.expected} but found type ${typeName(input ?? null)}'.`,
    );
  }
  throw badRequest(describeIssue(issue, input));
}

/** Rejects a key the caller may not send (read-only or immutable), in Auth0's wording. */
export function rejectProperties(body: Record<string, unknown>, forbidden: string[]): void {
  const present = forbidden.filter((key) => key in body);
  if (present.length > 0)
    throw badRequest(
      `Payload validation error: 'Additional properties not allowed: ${present.join(',')}'.`,
    );
}
