import { describe, expect, it } from 'vitest';
import { compareIds, sortIds } from '../../../src/matrix/splits/index.js';

describe('compareIds', () => {
  it('orders digit runs by value and the rest by code unit', () => {
    expect(sortIds(['10', '9', '100', '1', '2'])).toEqual(['1', '2', '9', '10', '100']);
    expect(sortIds(['c10', 'c2', 'b3', 'c1x', 'c1'])).toEqual(['b3', 'c1', 'c1x', 'c2', 'c10']);
    expect(sortIds(['a', '1', 'B'])).toEqual(['1', 'B', 'a']);
  });

  it('is total: ids equal by value fall back to code-unit order', () => {
    expect(sortIds(['1', '001', '01'])).toEqual(['001', '01', '1']);
    expect(compareIds('x', 'x')).toBe(0);
    expect(Math.sign(compareIds('01', '1'))).toBe(-Math.sign(compareIds('1', '01')));
  });

  it('gives the same order whatever the input order', () => {
    const ids = ['u12', 'u3', 'u100', 'v1', '7', 'u3a'];
    expect(sortIds([...ids].reverse())).toEqual(sortIds(ids));
  });
});
