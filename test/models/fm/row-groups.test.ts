// One-hot groups swept row by row in ALS and MCMC (src/models/fm/row-groups.ts) must give exactly the
// parameters of the column-by-column sweep, and only groups where that holds may be swept so.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { EventLogBuilder, type EventLog } from '../../../src/matrix/event-log.js';
import { CsrMatrix } from '../../../src/matrix/csr.js';
import { buildSideFeatures } from '../../../src/matrix/index.js';
import { buildDesign, FactorizationMachine, heldProducts, timeCuts, type BuildDesignOptions } from '../../../src/models/fm/index.js';
import { findRowGroups, sweepSegments } from '../../../src/models/fm/row-groups.js';

/** 60 customers, 15 products, events in shuffled time order (customers' rows spread out). */
function log(seed: number): EventLog {
  const rng = new Rng(seed);
  const rows: [string, string, number][] = [];
  for (let u = 0; u < 60; u++)
    for (let p = 0; p < 15; p++) if (rng.next() < 0.4) rows.push([`u${u}`, `p${p}`, Math.round(1 + 4 * rng.next())]);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const b = new EventLogBuilder();
  rows.forEach(([u, p, r], t) => b.add(u, p, 1000 + t, 'rating', r));
  return b.build();
}

function options(l: EventLog): BuildDesignOptions {
  const customer = [...l.customers.ids()].map((id, u) => ({ id, name: 'tier', num: null, str: `t${u % 10}` }));
  // Two genres on some products: a multi-hot group, which must stay column by column.
  const product = [...l.products.ids()].flatMap((id, p) => [
    { id, name: `genre:g${p % 4}`, num: 1, str: null },
    ...(p % 2 ? [{ id, name: `genre:g${(p + 1) % 4}`, num: 1, str: null }] : []),
  ]);
  return {
    customerFeatures: buildSideFeatures(l.customers, customer, { numeric: 'bucket' }),
    productFeatures: buildSideFeatures(l.products, product, { numeric: 'bucket', normalize: true }),
    timeCuts: timeCuts(l, 4),
    held: heldProducts(l),
  };
}

describe('row-major sweeps of one-hot groups', () => {
  const l = log(5);
  const design = buildDesign(l, options(l));

  it('takes wide one-hot groups that cover most rows, nothing else', () => {
    // Columns: group 0 = 0..9 one-hot in every row; group 1 = 10..19 two entries in row 0;
    // group 2 = 20..29 in one row only; group 3 = 30..31 one-hot but narrow; group 4 = 32..41 one-hot,
    // skipped as a relation block.
    const rows = [[0, 10, 11, 20, 30, 32], [5, 12, 31, 33], [9, 13, 30, 34]];
    const indptr = Int32Array.from([0, ...rows.map((r, i) => rows.slice(0, i + 1).flat().length)]);
    const x = new CsrMatrix(3, 42, indptr, Int32Array.from(rows.flat()), new Float32Array(rows.flat().length).fill(1));
    const groups = Int32Array.from({ length: 42 }, (_, j) => (j < 10 ? 0 : j < 20 ? 1 : j < 30 ? 2 : j < 32 ? 3 : 4));
    const found = findRowGroups(x, groups, 32, 42);
    expect(found.map((r) => [r.group, r.from, r.to])).toEqual([[0, 0, 10]]);
    expect(Array.from(found[0].slot)).toEqual([0, 5, 9]);
    expect(found[0].value).toBeNull();
    // Every column outside the skipped block is swept exactly once, in ascending order.
    const segs = sweepSegments(42, found, 32, 42);
    expect(segs.map((s) => [s.from, s.to, s.rows !== null])).toEqual([[0, 10, true], [10, 32, false]]);
  });

  it('finds the customer and product ids of a design, not the held block', () => {
    const rel = design.relation!;
    const found = findRowGroups(design.x, design.groups, rel.offset, rel.offset + rel.matrix.cols).map((r) => design.groupNames[r.group]);
    expect(found).toEqual(expect.arrayContaining(['customer', 'product']));
    expect(found).not.toContain('held');
  });

  it.each(['als', 'mcmc'] as const)('%s: the same parameters and predictions as sweeping every column', (solver) => {
    const fit = (rowSweeps: boolean) => {
      const fm = new FactorizationMachine();
      fm.fit(design, { solver, k: 4, iterations: 12, seed: 3, rowSweeps, test: design });
      return fm;
    };
    const byRows = fit(true);
    const byColumns = fit(false);
    const [a, b] = [byRows.result!, byColumns.result!];
    expect(a.params.w0).toBe(b.params.w0);
    expect(Array.from(a.params.w)).toEqual(Array.from(b.params.w));
    expect(Array.from(a.params.v)).toEqual(Array.from(b.params.v));
    expect(Array.from(a.testPredictions!)).toEqual(Array.from(b.testPredictions!));
    expect(a.params.v.some((x) => x !== 0)).toBe(true);
  });
});
