// Reads `.env` (if present) into process.env without overriding variables the shell already set,
// so CI secrets always win over a developer's local file.
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

export function loadDotEnv(path = '.env'): string[] {
  if (!existsSync(path)) return [];
  const parsed = parseEnv(readFileSync(path, 'utf8'));
  const applied: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (process.env[key] === undefined && value !== undefined) {
      process.env[key] = value;
      applied.push(key);
    }
  }
  return applied;
}
