// The plan's field comparison on its own: what "already satisfied" means (only configured keys, arrays in order
// or as sets) and the exact paths of a difference.
import { describe, expect, it } from 'vitest';
import { differences, isPlainObject, satisfies } from '../../deploy/plan/compare.js';

describe('isPlainObject', () => {
  it('is true for object literals only', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject({ a: 1 })).toBe(true);
    for (const value of [null, undefined, [], [1], 'x', 1, true])
      expect(isPlainObject(value)).toBe(false);
  });
});

describe('satisfies', () => {
  it('compares scalars strictly', () => {
    expect(satisfies(1, 1)).toBe(true);
    expect(satisfies('a', 'a')).toBe(true);
    expect(satisfies(1, '1')).toBe(false);
    expect(satisfies(null, undefined)).toBe(false);
    expect(satisfies(false, undefined)).toBe(false);
  });

  it('checks only the keys the config sets; an undefined desired key is not compared', () => {
    expect(satisfies({ a: 1 }, { a: 1, b: 2 })).toBe(true);
    expect(satisfies({ a: 1, b: undefined }, { a: 1, b: 2 })).toBe(true);
    expect(satisfies({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(satisfies({ a: 1 }, { a: 2 })).toBe(false);
    expect(satisfies({}, {})).toBe(true);
  });

  it('needs an object where the config has one', () => {
    for (const live of [null, undefined, [], 'x', 1]) expect(satisfies({}, live)).toBe(false);
  });

  it('compares nested objects key by key', () => {
    expect(satisfies({ jwt: { alg: 'RS256' } }, { jwt: { alg: 'RS256', lifetime: 36000 } })).toBe(
      true,
    );
    expect(satisfies({ jwt: { alg: 'RS256' } }, { jwt: { alg: 'HS256' } })).toBe(false);
  });

  it('compares arrays in order and by length unless asked for set semantics', () => {
    expect(satisfies(['x', 'y'], ['x', 'y'])).toBe(true);
    expect(satisfies(['x', 'y'], ['y', 'x'])).toBe(false);
    expect(satisfies(['x', 'y'], ['y', 'x'], true)).toBe(true);
    expect(satisfies(['x'], ['x', 'y'], true)).toBe(false);
    expect(satisfies(['x', 'y'], ['x'])).toBe(false);
    expect(satisfies([], [])).toBe(true);
    // Auth0 leaves out a list that holds nothing: absent or null is the empty list, not a difference.
    expect(satisfies([], null)).toBe(true);
    expect(satisfies([], undefined)).toBe(true);
    expect(satisfies(['x'], null)).toBe(false);
    expect(satisfies(['x'], 'x')).toBe(false);
    expect(satisfies(['x', 'y'], ['x', 'z'], true)).toBe(false);
  });

  it('sorts scope objects by their value and other objects by their JSON for set semantics', () => {
    const scopes = [
      { value: 'b', description: 'B' },
      { value: 'a', description: 'A' },
    ];
    expect(satisfies(scopes, [...scopes].reverse(), true)).toBe(true);
    expect(
      satisfies([{ value: 'b' }, { value: 'a' }], [{ value: 'a' }, { value: 'b' }], true),
    ).toBe(true);
    expect(satisfies([{ id: 2 }, { id: 1 }], [{ id: 1 }, { id: 2 }], true)).toBe(true);
    // A non-string value falls back to the JSON sort key.
    expect(satisfies([{ value: 2 }, { value: 1 }], [{ value: 1 }, { value: 2 }], true)).toBe(true);
    expect(satisfies([3, 1, 2], [1, 2, 3], true)).toBe(true);
    expect(satisfies([3, 1, 2], [1, 2, 3])).toBe(false);
  });

  it('matches scope objects by value even when the tenant lists their keys in another order', () => {
    const desired = [
      { value: 'a', description: 'z' },
      { value: 'b', description: 'a' },
    ];
    const live = [
      { description: 'a', value: 'b' },
      { description: 'z', value: 'a' },
    ];
    expect(satisfies(desired, live, true)).toBe(true);
  });

  it('does not sort the arrays it is given', () => {
    const desired = ['b', 'a'];
    const live = ['a', 'b'];
    expect(satisfies(desired, live, true)).toBe(true);
    expect(desired).toEqual(['b', 'a']);
    expect(live).toEqual(['a', 'b']);
  });

  it('applies set semantics to the top-level array only; nested arrays keep their order', () => {
    expect(satisfies([['y', 'x']], [['x', 'y']], true)).toBe(false);
    expect(satisfies({ list: ['y', 'x'] }, { list: ['x', 'y'] }, true)).toBe(false);
  });
});

describe('differences', () => {
  it('is empty when live satisfies desired', () => {
    expect(differences('callbacks', ['a'], ['a'])).toEqual([]);
    expect(differences('jwt', { alg: 'RS256' }, { alg: 'RS256', x: 1 })).toEqual([]);
    expect(differences('scopes', ['b', 'a'], ['a', 'b'], true)).toEqual([]);
  });

  it('names the exact nested key that differs, skipping equal and undefined keys', () => {
    expect(
      differences(
        'refresh_token',
        { rotation_type: 'rotating', leeway: 0, idle: undefined, nested: { a: 1, b: 2 } },
        { rotation_type: 'non-rotating', leeway: 0, idle: 5, nested: { a: 1, b: 3 } },
      ),
    ).toEqual([
      { path: 'refresh_token.rotation_type', before: 'non-rotating', after: 'rotating' },
      { path: 'refresh_token.nested.b', before: 3, after: 2 },
    ]);
  });

  it('reports a whole value when live is missing, null or not an object', () => {
    expect(differences('jwt', { alg: 'RS256' }, undefined)).toEqual([
      { path: 'jwt', before: undefined, after: { alg: 'RS256' } },
    ]);
    expect(differences('jwt', { alg: 'RS256' }, null)).toEqual([
      { path: 'jwt', before: null, after: { alg: 'RS256' } },
    ]);
    expect(differences('name', 'new', 'old')).toEqual([
      { path: 'name', before: 'old', after: 'new' },
    ]);
    expect(differences('callbacks', ['a'], { a: 1 })).toEqual([
      { path: 'callbacks', before: { a: 1 }, after: ['a'] },
    ]);
  });

  it('reports an array as one difference, with set semantics deciding equality', () => {
    expect(differences('grant_types', ['a', 'b'], ['a'], true)).toEqual([
      { path: 'grant_types', before: ['a'], after: ['a', 'b'] },
    ]);
    expect(differences('grant_types', ['b', 'a'], ['a', 'b'])).toEqual([
      { path: 'grant_types', before: ['a', 'b'], after: ['b', 'a'] },
    ]);
  });

  it('reports a nested key missing from live with before undefined', () => {
    expect(differences('x', { a: { b: 1 } }, { a: {} })).toEqual([
      { path: 'x.a.b', before: undefined, after: 1 },
    ]);
  });
});
