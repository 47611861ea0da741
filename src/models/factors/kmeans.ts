// k-means over learned factor vectors (customers or products): k-means++ seeding and Lloyd
// iterations on a row-major Float32Array, seeded so clusterings are reproducible.
import { NextbestError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';

export interface KMeansOptions {
  k: number;
  iterations?: number;
  seed?: number;
}

export interface KMeansResult {
  assignments: Int32Array;
  /** k x dims, row-major. */
  centroids: Float64Array;
  /** Sum of squared distances to the assigned centroid. */
  inertia: number;
  iterations: number;
}

function squaredDistance(x: Float32Array, i: number, c: Float64Array, j: number, dims: number): number {
  let s = 0;
  for (let d = 0; d < dims; d++) {
    const diff = x[i * dims + d] - c[j * dims + d];
    s += diff * diff;
  }
  return s;
}

export function kmeans(x: Float32Array, dims: number, opts: KMeansOptions): KMeansResult {
  const n = x.length / dims;
  const { k } = opts;
  if (!Number.isInteger(n) || dims < 1) throw new NextbestError('INTERNAL', `k-means: ${x.length} values do not form rows of ${dims}`);
  if (!(Number.isInteger(k) && k >= 1 && k <= n)) throw new NextbestError('BAD_OPTION', `k-means: k must be 1..${n}, got ${k}`);
  const rng = new Rng(opts.seed ?? 1);
  const centroids = new Float64Array(k * dims);
  // k-means++: each next centre drawn with probability proportional to its squared distance.
  const nearest = new Float64Array(n).fill(Infinity);
  let chosen = rng.int(n);
  for (let j = 0; j < k; j++) {
    for (let d = 0; d < dims; d++) centroids[j * dims + d] = x[chosen * dims + d];
    for (let i = 0; i < n; i++) nearest[i] = Math.min(nearest[i], squaredDistance(x, i, centroids, j, dims));
    if (j + 1 < k) chosen = rng.weighted(nearest);
  }
  const assignments = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * dims);
  const counts = new Int32Array(k);
  let inertia = 0;
  let it = 0;
  const maxIterations = opts.iterations ?? 100;
  for (; it < maxIterations; it++) {
    let changed = 0;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestDistance = Infinity;
      for (let j = 0; j < k; j++) {
        const dist = squaredDistance(x, i, centroids, j, dims);
        if (dist < bestDistance) {
          bestDistance = dist;
          best = j;
        }
      }
      inertia += bestDistance;
      if (assignments[i] !== best) {
        assignments[i] = best;
        changed++;
      }
    }
    if (changed === 0) break;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const j = assignments[i];
      counts[j]++;
      for (let d = 0; d < dims; d++) sums[j * dims + d] += x[i * dims + d];
    }
    for (let j = 0; j < k; j++) {
      // An emptied cluster keeps its old centre rather than collapsing to the origin.
      if (counts[j] === 0) continue;
      for (let d = 0; d < dims; d++) centroids[j * dims + d] = sums[j * dims + d] / counts[j];
    }
  }
  return { assignments, centroids, inertia, iterations: it };
}
