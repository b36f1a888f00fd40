// Metadata an Action sets is stored as Auth0 stores it: its JSON form.
import type { Json } from '../state/types.js';

/** The JSON form of a value an Action handed over (`undefined` becomes null, as Auth0 stores it). */
export function jsonValue(value: unknown): Json {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
