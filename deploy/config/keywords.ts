// auth0-deploy-cli keyword semantics on raw text, before parsing: `##KEY##` is replaced by the value as text,
// `@@KEY@@` (with any quotes around it) by the value as JSON. Unlike a0deploy, a marker without a value is an
// error naming the key, file and line — a0deploy silently turns it into null, a comment or a stripped field.
import { ConfigError, type ConfigProblem } from './errors.js';

export type Keywords = Record<string, unknown>;

const marker = /(["']?)@@([A-Za-z0-9_]+)@@\1|##([A-Za-z0-9_]+)##/g;

export function replaceKeywords(text: string, keywords: Keywords, file: string): string {
  const problems: ConfigProblem[] = [];
  const result = text.replace(
    marker,
    (
      match,
      _quote: string,
      jsonKey: string | undefined,
      textKey: string | undefined,
      offset: number,
    ) => {
      // The pattern's two alternatives: exactly one of them matched.
      // Stryker disable next-line StringLiteral: equivalent — the '' fallback is unreachable (one group matched)
      const key = jsonKey ?? textKey ?? '';
      if (!Object.hasOwn(keywords, key) || keywords[key] === undefined) {
        problems.push({
          file,
          line: lineAt(text, offset),
          // Stryker disable next-line Regex: equivalent — a marker can hold quotes only at its two ends
          message: `keyword ${key} has no value (used as ${match.replace(/^["']|["']$/g, '')}); define it in AUTH0_KEYWORD_REPLACE_MAPPINGS of the env file or as an environment variable`,
        });
        return match;
      }
      const value = keywords[key];
      if (jsonKey !== undefined) return JSON.stringify(value);
      return typeof value === 'string' ? value : JSON.stringify(value);
    },
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return result;
}

/** Keys a text refers to, so callers can pick just those from the process environment. */
export function referencedKeywords(text: string): Set<string> {
  const keys = new Set<string>();
  for (const [, , jsonKey, textKey] of text.matchAll(marker)) {
    const key = jsonKey ?? textKey;
    // Stryker disable next-line ConditionalExpression: equivalent — one of the two groups always matched
    if (key) keys.add(key);
  }
  return keys;
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent — past the end charCodeAt is NaN
  for (let index = 0; index < offset && index < text.length; index++)
    if (text.charCodeAt(index) === 10) line++;
  return line;
}
