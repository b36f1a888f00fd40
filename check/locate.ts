// Places a tenant.yaml path at the line a reviewer should look at. Keywords are followed to where their value is
// written: `callbacks: @@SPA_CALLBACKS@@` sends a finding about the third callback to that element in
// tenant/env/<env>.json, not to the keyword in tenant.yaml.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { Location } from './types.js';

/** The loader's keyword syntax (deploy/config/keywords.ts): a quoted `'@@KEY@@'` is the same JSON keyword. */
const KEYWORD = /(["']?)@@([A-Za-z0-9_]+)@@\1|##([A-Za-z0-9_]+)##/g;
const PLACEHOLDER = /^__check_keyword_([A-Za-z0-9_]+)__$/;

interface ParsedFile {
  name: string;
  doc: Document;
  lines: LineCounter;
}

function parse(name: string, text: string): ParsedFile | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  return doc.errors.length > 0 ? undefined : { name, doc, lines };
}

type Walk =
  | { kind: 'line'; line: number | undefined }
  | { kind: 'keyword'; key: string; rest: (string | number)[]; line: number | undefined };

/** Walks as far along the path as the document goes; stops at a keyword that stands for a whole value. */
function walk(file: ParsedFile, path: readonly (string | number)[]): Walk {
  let node: unknown = file.doc.contents;
  let offset: number | undefined = rangeStart(node);
  for (let index = 0; index <= path.length; index += 1) {
    if (isScalar(node) && typeof node.value === 'string') {
      const keyword = PLACEHOLDER.exec(node.value);
      if (keyword)
        return {
          kind: 'keyword',
          key: keyword[1]!,
          rest: path.slice(index),
          line: lineAt(file, offset),
        };
    }
    if (index === path.length) break;
    const segment = path[index]!;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      node = pair.value;
      offset = rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else break;
  }
  return { kind: 'line', line: lineAt(file, offset) };
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const { range } = node;
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined;
}

function lineAt(file: ParsedFile, offset: number | undefined): number | undefined {
  return offset === undefined ? undefined : file.lines.linePos(offset).line;
}

/**
 * A locator for a desired state read from `tenantText` (with keywords still in it) and the env file's JSON.
 * Keyword markers become placeholders of the same length class (no line breaks), so lines stay as written.
 */
export function desiredStateLocator(
  tenant: { name: string; text: string },
  env: { name: string; text: string },
): (path: readonly (string | number)[]) => Location {
  const withPlaceholders = tenant.text.replace(
    KEYWORD,
    (_match, _quote: string, json: string | undefined, literal: string | undefined) =>
      json ? `"__check_keyword_${json}__"` : `__check_keyword_${literal}__`,
  );
  const tenantFile = parse(tenant.name, withPlaceholders);
  const envFile = parse(env.name, env.text);
  return (path) => {
    // A finding about the tenant as a whole (something tenant.yaml does not say) has no line.
    if (!tenantFile || path.length === 0) return { file: tenant.name };
    const found = walk(tenantFile, path);
    if (found.kind === 'keyword' && envFile) {
      const mappings = ['AUTH0_KEYWORD_REPLACE_MAPPINGS', found.key];
      const inEnv = walk(envFile, [...mappings, ...found.rest]);
      const keyLine = walk(envFile, mappings);
      // Only follow a keyword the env file defines (AUTH0_DOMAIN, for one, is computed by the deploy).
      if (keyLine.line !== undefined && hasPath(envFile, mappings))
        return { file: env.name, line: inEnv.line, keyword: { key: found.key, inEnvFile: true } };
    }
    if (found.kind === 'keyword')
      return { file: tenant.name, line: found.line, keyword: { key: found.key, inEnvFile: false } };
    return { file: tenant.name, line: found.line };
  };
}

function hasPath(file: ParsedFile, path: string[]): boolean {
  return file.doc.hasIn(path);
}
