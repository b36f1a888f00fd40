// What "answers like Auth0" means for one interaction: the same status, the same top-level body keys and, for
// errors, the same message. Values are not compared (ids, dates and names differ by nature), and an error
// body the recording redacted ('{}') is compared by status only.
import { isRecord } from '../../lib/guards.js';

export interface Answer {
  status: number;
  body: string;
}

type Shape =
  | { kind: 'empty' }
  | { kind: 'text' }
  | { kind: 'object'; value: Record<string, unknown> }
  | { kind: 'array'; value: unknown[] };

function shapeOf(body: string): Shape {
  if (body.trim() === '') return { kind: 'empty' };
  try {
    const value: unknown = JSON.parse(body);
    if (Array.isArray(value)) return { kind: 'array', value };
    if (isRecord(value)) return { kind: 'object', value };
  } catch {
    // not JSON
  }
  return { kind: 'text' };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Keys only one side has, as "+key" (ours only) and "-key" (Auth0 only), sorted. */
export function keyDifference(recorded: object, actual: object): string[] {
  const ours = new Set(Object.keys(actual));
  const theirs = new Set(Object.keys(recorded));
  return [
    ...[...theirs].filter((key) => !ours.has(key)).map((key) => `-${key}`),
    ...[...ours].filter((key) => !theirs.has(key)).map((key) => `+${key}`),
  ].sort((a, b) => a.slice(1).localeCompare(b.slice(1)));
}

function errorMessage(body: Record<string, unknown>): string | undefined {
  const message = body.message ?? body.error_description;
  return typeof message === 'string' ? message : undefined;
}

/** undefined when the answers match; otherwise a one-line description of the first difference. */
export function compareAnswers(recorded: Answer, actual: Answer): string | undefined {
  if (recorded.status !== actual.status) {
    const ours = shapeOf(actual.body);
    const detail = ours.kind === 'object' ? errorMessage(ours.value) : undefined;
    return `status ${actual.status} (Auth0 ${recorded.status})${detail ? `: ${detail}` : ''}`;
  }
  const theirs = shapeOf(recorded.body);
  const ours = shapeOf(actual.body);
  if (recorded.status >= 400) {
    // Error bodies were redacted by the recorder unless they carry Auth0's error fields.
    if (theirs.kind !== 'object' || errorMessage(theirs.value) === undefined) return undefined;
    if (ours.kind !== 'object') return `error body is ${ours.kind}`;
    const expected = errorMessage(theirs.value);
    const got = errorMessage(ours.value);
    if (expected !== got) return `message "${got}" (Auth0 "${expected}")`;
  }
  if (theirs.kind !== ours.kind) return `body is ${ours.kind} (Auth0 ${theirs.kind})`;
  if (theirs.kind === 'object' && ours.kind === 'object') {
    const keys = keyDifference(theirs.value, ours.value);
    if (keys.length > 0) return `keys ${keys.join(' ')}`;
  }
  if (theirs.kind === 'array' && ours.kind === 'array') {
    // Lists hold what the recording tenant had; compare the shape of their first items when both have one.
    const [first] = theirs.value;
    const [ourFirst] = ours.value;
    if (isObject(first) && isObject(ourFirst)) {
      const keys = keyDifference(first, ourFirst);
      if (keys.length > 0) return `item keys ${keys.join(' ')}`;
    }
  }
  return undefined;
}
