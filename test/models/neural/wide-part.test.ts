// The two-tower model's wide part on planted data: crossed columns land where the layout says, the
// exact fit recovers the group shares a log-linear model can express (strength-weighted), a product
// decided by the XOR of two attributes is found only with their cross, and a bad cross is one line.
import { describe, expect, it } from 'vitest';
import { NextbestError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';
import { CsrMatrix, type SparseRow } from '../../../src/matrix/index.js';
import { fitWide, wideLayout, wideRow } from '../../../src/models/neural/wide-part.js';

/** Attribute columns: a (2 values: columns 0, 2), b (3 values: columns 1, 3, 4), as fields 2 and 3 of a tower. */
const FIELD_OF = Int32Array.of(2, 3, 2, 3, 3);
const FIELD_NAMES = ['id', 'history', 'attr:a', 'attr:b'];

const row = (...cols: number[]): SparseRow => ({ indices: Int32Array.from(cols), data: new Float32Array(cols.length).fill(1) });

/** customers x products from (customer, product, strength) triples, customers in order. */
function matrix(customers: number, products: number, pairs: [number, number, number][]): CsrMatrix {
  const indptr = new Int32Array(customers + 1);
  for (const [u] of pairs) indptr[u + 1]++;
  for (let u = 0; u < customers; u++) indptr[u + 1] += indptr[u];
  return new CsrMatrix(customers, products, indptr, Int32Array.from(pairs, (p) => p[1]), Float32Array.from(pairs, (p) => p[2]));
}

function softmax(x: number[]): number[] {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const z = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / z);
}

/** Scores of every product for a wide row. */
function scores(fit: { wide: Float32Array; bias: Float32Array }, columns: number, r: SparseRow): number[] {
  return Array.from(fit.bias, (b, p) => {
    let s = b;
    r.indices.forEach((c, t) => (s += r.data[t] * fit.wide[p * columns + c]));
    return s;
  });
}

describe('two-tower wide part', () => {
  it('puts each pair of crossed values in its own column after the attribute columns', () => {
    const layout = wideLayout(FIELD_OF, FIELD_NAMES, ['a*b']);
    expect(layout.columns).toBe(5 + 2 * 3);
    // a's second value (column 2) and b's third (column 4): block offset 5, position 1 * 3 + 2.
    const r = wideRow(layout, FIELD_OF, { indices: Int32Array.of(2, 4), data: Float32Array.of(1, 1) });
    expect([...r.indices]).toEqual([2, 4, 5 + 1 * 3 + 2]);
    // Values multiply (a field split between two values).
    const half = wideRow(layout, FIELD_OF, { indices: Int32Array.of(0, 2, 1), data: Float32Array.of(0.5, 0.5, 1) });
    expect([...half.indices]).toEqual([0, 2, 1, 5 + 0, 5 + 3]);
    expect([...half.data]).toEqual([0.5, 0.5, 1, 0.5, 0.5]);
    // No crosses: the attribute row as it is.
    const plain = wideLayout(FIELD_OF, FIELD_NAMES, []);
    expect(plain.columns).toBe(5);
  });

  it('refuses a cross of an attribute the towers do not read, in one line', () => {
    for (const bad of ['a*zip', 'a*a', 'a']) {
      let error: unknown;
      try {
        wideLayout(FIELD_OF, FIELD_NAMES, [bad]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NextbestError);
      expect((error as NextbestError).code).toBe('BAD_PARAMETER');
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).toContain(bad);
    }
  });

  it('fits the shares of each group of customers, pairs weighed by their strength', () => {
    // Three groups (b's values); in group k product k is picked with strength 3, the others with 1.
    const pairs: [number, number, number][] = [];
    const rows: SparseRow[] = [];
    let u = 0;
    for (let k = 0; k < 3; k++)
      for (let c = 0; c < 20; c++, u++) {
        rows.push(row([1, 3, 4][k]));
        for (let p = 0; p < 3; p++) pairs.push([u, p, p === k ? 3 : 1]);
      }
    const fit = fitWide(matrix(u, 3, pairs), (c) => rows[c], 5, { l2: 0, iterations: 500, learningRate: 0.05 });
    for (let k = 0; k < 3; k++) {
      const share = softmax(scores(fit, 5, row([1, 3, 4][k])));
      for (let p = 0; p < 3; p++) expect(share[p]).toBeCloseTo(p === k ? 0.6 : 0.2, 2);
    }
    // Deterministic.
    const again = fitWide(matrix(u, 3, pairs), (c) => rows[c], 5, { l2: 0, iterations: 500, learningRate: 0.05 });
    expect(again.wide).toEqual(fit.wide);
  });

  it('finds a product decided by two attributes together only with their cross', () => {
    // a in {0,1} (columns 0, 2), b in {0,1} (columns 1, 3): product 0 when a == b, else product 1;
    // product 2 is picked by a random third of every group.
    const rng = new Rng(5);
    const pairs: [number, number, number][] = [];
    const attrs: SparseRow[] = [];
    for (let u = 0; u < 400; u++) {
      const a = rng.int(2);
      const b = rng.int(2);
      attrs.push(row([0, 2][a], [1, 3][b]));
      pairs.push([u, a === b ? 0 : 1, 1]);
      if (rng.next() < 1 / 3) pairs.push([u, 2, 1]);
    }
    const fieldOf = Int32Array.of(2, 3, 2, 3);
    const history = matrix(400, 3, pairs);
    const best = (crosses: string[]) => {
      const layout = wideLayout(fieldOf, FIELD_NAMES, crosses);
      const rows = attrs.map((r) => wideRow(layout, fieldOf, r));
      const fit = fitWide(history, (u) => rows[u], layout.columns, { l2: 1e-3, iterations: 400, learningRate: 0.05 });
      return [0, 1].flatMap((a) => [0, 1].map((b) => {
        const s = scores(fit, layout.columns, wideRow(layout, fieldOf, row([0, 2][a], [1, 3][b])));
        return { right: s.indexOf(Math.max(...s)) === (a === b ? 0 : 1) };
      }));
    };
    expect(best(['a*b']).every((g) => g.right)).toBe(true);
    // Additive over a and b, no weights rank the right product first in all four groups.
    expect(best([]).every((g) => g.right)).toBe(false);
  });
});
