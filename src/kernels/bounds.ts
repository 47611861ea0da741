// Argument checks for kernels that index rows through arrays (triples, CSR entries): an index out of
// range would make a WebAssembly kernel read or write other allocations in the shared memory, so the
// wrappers refuse it with a NextbestError instead.
import { NextbestError } from '../core/errors.js';
import type { AdagradFactors, PairEpoch } from './types.js';

const bad = (msg: string): NextbestError => new NextbestError('INTERNAL', msg);

/** Every (users[t], pos[t], neg[t]) for t < count names a row of U and two rows of V. */
export function checkTriples(k: number, U: Float32Array, V: Float32Array, count: number, users: Int32Array, pos: Int32Array, neg: Int32Array): void {
  if (!(count >= 0 && count <= users.length && count <= pos.length && count <= neg.length))
    throw bad(`bprBatch count ${count} exceeds the triple arrays`);
  const nu = Math.floor(U.length / k);
  const ni = Math.floor(V.length / k);
  for (let t = 0; t < count; t++) {
    const u = users[t];
    const i = pos[t];
    const j = neg[t];
    if (!(u >= 0 && u < nu && i >= 0 && i < ni && j >= 0 && j < ni))
      throw bad(`bprBatch triple ${t} (${u}, ${i}, ${j}) is outside ${nu} users x ${ni} items`);
  }
}

/** Rows r0 .. r1 of X exist, their CSR entries lie inside indices / conf and name rows of Y; G is k x k. */
export function checkAlsRows(
  k: number, r0: number, r1: number, X: Float32Array, Y: Float32Array, G: Float32Array, indptr: Int32Array, indices: Int32Array, conf: Float32Array,
): void {
  if (!(Number.isInteger(k) && k >= 1 && r0 >= 0 && r1 >= r0 && r1 < indptr.length && r1 * k <= X.length && G.length >= k * k))
    throw bad(`ALS rows ${r0} .. ${r1} (k = ${k}) do not fit X (${X.length}), indptr (${indptr.length}) or G (${G.length})`);
  const m = Math.floor(Y.length / k);
  for (let r = r0; r < r1; r++) {
    const p0 = indptr[r];
    const p1 = indptr[r + 1];
    if (!(p0 >= 0 && p1 >= p0 && p1 <= indices.length && p1 <= conf.length)) throw bad(`ALS row ${r}: entries ${p0} .. ${p1} are outside the CSR arrays`);
    for (let p = p0; p < p1; p++) if (!(indices[p] >= 0 && indices[p] < m)) throw bad(`ALS row ${r}: column ${indices[p]} is outside Y's ${m} rows`);
  }
}

/** X has n rows, indptr a row per row of Y, and every entry lies inside indices / conf and names a row of X; G is k x k. */
export function checkAlsLockstep(
  k: number, n: number, X: Float32Array, Y: Float32Array, G: Float32Array, indptr: Int32Array, indices: Int32Array, conf: Float32Array,
): void {
  const m = indptr.length - 1;
  if (!(Number.isInteger(k) && k >= 1 && Number.isInteger(n) && n >= 0 && n * k <= X.length && m >= 0 && m * k <= Y.length && G.length >= k * k))
    throw bad(`ALS lockstep: ${n} rows (k = ${k}) and ${m} CSR rows do not fit X (${X.length}), Y (${Y.length}) or G (${G.length})`);
  if (!(indptr[0] >= 0 && indptr[m] <= indices.length && indptr[m] <= conf.length)) throw bad('ALS lockstep: the CSR entries are outside indices / conf');
  for (let u = 0; u < m; u++) if (!(indptr[u] <= indptr[u + 1])) throw bad(`ALS lockstep: CSR row ${u} ends before it starts`);
  for (let p = indptr[0]; p < indptr[m]; p++) if (!(indices[p] >= 0 && indices[p] < n)) throw bad(`ALS lockstep: entry ${p} names row ${indices[p]}, outside X's ${n} rows`);
}

/** The factor arrays have matching shapes, and every position, owner and product of the epoch is in range. */
export function checkEpoch(f: AdagradFactors, e: PairEpoch): void {
  const { k } = f;
  const customers = Math.floor(f.user.length / k);
  const products = f.bias.length;
  if (!(Number.isInteger(k) && k >= 1 && f.gUser.length === f.user.length && f.item.length === products * k))
    throw bad(`adagrad factors have inconsistent shapes (k = ${k}, ${f.user.length} / ${f.gUser.length} customer values, ${f.item.length} product values, ${products} biases)`);
  if (e.updateItems && (f.gItem.length !== f.item.length || f.gBias.length !== products)) throw bad('adagrad epoch updates products but has no product accumulators');
  if (e.rng.length < 1 || e.owner.length < e.indices.length) throw bad('adagrad epoch: missing rng state or owners');
  for (let t = 0; t < e.order.length; t++) {
    const q = e.order[t];
    if (!(q >= 0 && q < e.indices.length)) throw bad(`adagrad epoch: position ${q} is outside ${e.indices.length} entries`);
    const u = e.owner[q];
    if (!(u >= 0 && u < customers && u + 1 < e.indptr.length)) throw bad(`adagrad epoch: customer ${u} is outside ${customers}`);
    if (!(e.indptr[u] >= 0 && e.indptr[u] <= e.indptr[u + 1] && e.indptr[u + 1] <= e.indices.length)) throw bad(`adagrad epoch: customer ${u}'s entries are outside the CSR arrays`);
  }
  for (let p = 0; p < e.indices.length; p++)
    if (!(e.indices[p] >= 0 && e.indices[p] < products)) throw bad(`adagrad epoch: product ${e.indices[p]} is outside ${products}`);
}
