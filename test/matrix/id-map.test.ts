import { describe, expect, it } from 'vitest';
import { IdMap } from '../../src/matrix/index.js';

describe('IdMap', () => {
  it('assigns dense indices in insertion order and reuses them', () => {
    const m = new IdMap();
    expect(m.add('c1')).toBe(0);
    expect(m.add('c2')).toBe(1);
    expect(m.add('c1')).toBe(0);
    expect(m.size).toBe(2);
    expect(m.index('c2')).toBe(1);
    expect(m.index('nope')).toBe(-1);
    expect(m.has('c1')).toBe(true);
    expect(m.has('nope')).toBe(false);
    expect(m.id(1)).toBe('c2');
    expect(m.ids()).toEqual(['c1', 'c2']);
  });

  it('throws on an index outside the map', () => {
    const m = IdMap.from(['a']);
    expect(() => m.id(1)).toThrow(/outside/);
    expect(() => m.id(-1)).toThrow(/outside/);
  });

  it('from() dedupes and keeps first-seen order', () => {
    const m = IdMap.from(['b', 'a', 'b', 'c']);
    expect(m.ids()).toEqual(['b', 'a', 'c']);
  });

  it('round-trips through JSON', () => {
    const m = IdMap.from(['x', 'y', 'z', '']);
    const text = JSON.stringify(m);
    expect(text).toBe('["x","y","z",""]');
    const back = IdMap.fromJSON(JSON.parse(text));
    expect(back.ids()).toEqual(m.ids());
    for (const id of m.ids()) expect(back.index(id)).toBe(m.index(id));
  });

  it('toJSON returns a copy', () => {
    const m = IdMap.from(['x']);
    m.toJSON().push('y');
    expect(m.size).toBe(1);
  });

  it('fromJSON rejects bad input with BAD_ARGUMENT', () => {
    expect(() => IdMap.fromJSON({})).toThrow(expect.objectContaining({ code: 'CORRUPT_MODEL' }));
    expect(() => IdMap.fromJSON(['a', 1])).toThrow(/non-string/);
    expect(() => IdMap.fromJSON(['a', 'a'])).toThrow(/twice/);
  });
});
