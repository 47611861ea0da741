// Scoring from a history newer than training (live events): models with learned per-customer state
// (ALS, BPR, WARP factors; user-kNN neighbours) fold the customer in again when told, so the list
// follows what the customer just did without retraining.
import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '../../src/matrix/index.js';
import { createModel } from '../../src/models/registry.js';
import { syntheticBank } from './fixtures.js';

const data = syntheticBank();
const history = data.interactions.userItem;
/** In the fixture, customer c prefers products segment(c) * 8 ... + 7; customer 0 is in segment 0. */
const customer = 0;
const newProducts = [16, 17, 18, 19]; // segment 2's

/** Customer 0's training history plus clicks on four segment-2 products, as a one-row matrix. */
function withLiveClicks(): CsrMatrix {
  const row = history.row(customer);
  const indices = Int32Array.from(new Set([...row.indices, ...newProducts])).sort();
  const data = Float32Array.from(indices, (p) => (newProducts.includes(p) ? 1 : row.data[row.indices.indexOf(p)]));
  return new CsrMatrix(1, history.cols, Int32Array.of(0, indices.length), indices, data);
}

/** The fixture has 40 customers: ALS's default regularisation (20) is meant for thousands. */
const PARAMS: Record<string, Record<string, number>> = {
  als: { factors: 8, regularization: 0.5, iterations: 15 },
  bpr: { seed: 3 },
  warp: { seed: 3 },
  'user-knn': { neighbours: 10 },
};

const segmentTwoShare = (items: Int32Array): number => items.filter((p) => p >= 16).length / items.length;

describe('scoring from a newer history (fromHistory)', () => {
  for (const name of ['als', 'bpr', 'warp', 'user-knn']) {
    it(`${name}: the customer's live clicks on one segment's products move that segment up only when told`, async () => {
      const model = createModel(name, PARAMS[name]);
      await model.fit(data);
      const live = withLiveClicks();
      const opts = { k: 8, history: live, exclude: live };
      // Row 0 of `live` is customer 0: without the flag the learned state ignores the new clicks.
      const [before] = model.recommend(Int32Array.of(customer), { ...opts, history: history, exclude: live });
      const [stale] = model.recommend(Int32Array.of(customer), opts);
      const [fresh] = model.recommend(Int32Array.of(customer), { ...opts, fromHistory: true });
      expect(Array.from(stale.items)).toEqual(Array.from(before.items));
      expect(segmentTwoShare(fresh.items)).toBeGreaterThan(segmentTwoShare(stale.items));
    });
  }
});
