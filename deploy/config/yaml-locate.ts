// Maps a path inside a parsed YAML document back to a line, so validation errors point at the file position.
import type { LineCounter } from 'yaml';
import { isMap, isNode, isPair, isScalar, isSeq, type Document } from 'yaml';

export function lineOfPath(
  doc: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
  unknownKey?: string,
): number | undefined {
  let node: unknown = doc.contents;
  let lastRange: [number, number, number] | undefined = rangeOf(node);
  for (const segment of unknownKey === undefined ? path : [...path, unknownKey]) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      lastRange = rangeOf(pair.key) ?? lastRange;
      node = pair.value;
      lastRange = rangeOf(node) ?? lastRange;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      lastRange = rangeOf(node) ?? lastRange;
    } else break;
  }
  return lastRange ? lines.linePos(lastRange[0]).line : undefined;
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  return isNode(node) ? (node.range ?? undefined) : undefined;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, segment) =>
      typeof segment === 'number'
        ? `${text}[${segment}]`
        : text
          ? `${text}.${String(segment)}`
          : String(segment),
    '',
  );
}
