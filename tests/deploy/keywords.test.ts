// auth0-deploy-cli keyword substitution on raw text: ##KEY## as text, @@KEY@@ (quoted or not) as JSON, and a
// missing value as an error naming key, file and line.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../deploy/config/errors.js';
import { lineAt, referencedKeywords, replaceKeywords } from '../../deploy/config/keywords.js';

function problems(text: string, keywords: Record<string, unknown>): string[] {
  try {
    replaceKeywords(text, keywords, 'tenant.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => `${problem.line}: ${problem.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('replaceKeywords', () => {
  it('puts ##KEY## values in as text, non-strings as JSON', () => {
    expect(
      replaceKeywords('a: ##A##\nb: ##B##\nc: ##C##', { A: 'x y', B: 42, C: ['p'] }, 'f'),
    ).toBe('a: x y\nb: 42\nc: ["p"]');
  });

  it('puts @@KEY@@ values in as JSON, swallowing matching quotes around the marker', () => {
    const keywords = { LIST: ['a', 'b'], TEXT: 'say "hi"', OBJ: { k: 1 } };
    expect(replaceKeywords('l: @@LIST@@', keywords, 'f')).toBe('l: ["a","b"]');
    expect(replaceKeywords('t: "@@TEXT@@"', keywords, 'f')).toBe('t: "say \\"hi\\""');
    expect(replaceKeywords("o: '@@OBJ@@'", keywords, 'f')).toBe('o: {"k":1}');
    // Quotes that do not match on both sides are left as they are.
    expect(replaceKeywords('t: "@@TEXT@@\'', keywords, 'f')).toBe('t: ""say \\"hi\\""\'');
  });

  it('accepts letters, digits and underscores in names, and leaves other text alone', () => {
    expect(replaceKeywords('##a_B9## @@x@@ ## A ## @@-@@ #A# @A@', { a_B9: 'v', x: 1 }, 'f')).toBe(
      'v 1 ## A ## @@-@@ #A# @A@',
    );
    expect(replaceKeywords('no markers', {}, 'f')).toBe('no markers');
  });

  it('replaces falsy values (empty string, 0, false, null)', () => {
    expect(
      replaceKeywords('##E##|##Z##|@@F@@|@@N@@', { E: '', Z: 0, F: false, N: null }, 'f'),
    ).toBe('|0|false|null');
  });

  it('reports every missing or undefined keyword with its line, and the marker as written', () => {
    expect(
      problems('a: 1\nb: ##MISSING##\nc: "@@GONE@@"\nd: @@UNDEF@@', { UNDEF: undefined }),
    ).toEqual([
      '2: keyword MISSING has no value (used as ##MISSING##); define it in AUTH0_KEYWORD_REPLACE_MAPPINGS of the env file or as an environment variable',
      '3: keyword GONE has no value (used as @@GONE@@); define it in AUTH0_KEYWORD_REPLACE_MAPPINGS of the env file or as an environment variable',
      '4: keyword UNDEF has no value (used as @@UNDEF@@); define it in AUTH0_KEYWORD_REPLACE_MAPPINGS of the env file or as an environment variable',
    ]);
  });

  it('does not take values from the prototype chain', () => {
    expect(problems('##toString##', {})).toHaveLength(1);
    expect(problems('##constructor##', {})).toHaveLength(1);
  });

  it('names the file in the error', () => {
    try {
      replaceKeywords('##X##', {}, 'tenant/env/dev.json');
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems[0]).toMatchObject({
        file: 'tenant/env/dev.json',
        line: 1,
      });
    }
  });
});

describe('referencedKeywords', () => {
  it('lists each key once, from both marker kinds', () => {
    expect([...referencedKeywords('##A## @@B@@ "@@C@@" ##A## x')]).toEqual(['A', 'B', 'C']);
    expect(referencedKeywords('none').size).toBe(0);
  });
});

describe('lineAt', () => {
  it('counts the newlines before an offset, 1-based, never past the end', () => {
    const text = 'a\nb\n\nc';
    expect(lineAt(text, 0)).toBe(1);
    expect(lineAt(text, 1)).toBe(1);
    expect(lineAt(text, 2)).toBe(2);
    expect(lineAt(text, 4)).toBe(3);
    expect(lineAt(text, 5)).toBe(4);
    expect(lineAt(text, 100)).toBe(4);
    expect(lineAt('\r\n\r\n', 4)).toBe(3);
  });
});
