// ML-RATING (../shared/BENCHMARKS.md): ml-100k u1.base -> u1.test designs, ids only or "+side":
// user age bucket (7 buckets as in ML-1M), gender, occupation one-hot; item genres multi-hot 1/#genres.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CsrMatrix } from '../../../src/matrix/csr.js';
import type { EventLog } from '../../../src/matrix/event-log.js';
import { splitFromFiles } from '../../../src/matrix/splits/files.js';
import { buildDesign, heldProducts, timeCuts, type BuildDesignOptions, type Design } from '../../../src/models/fm/index.js';

export interface MlRating {
  train: Design;
  test: Design;
}

const AGE_EDGES = [18, 25, 35, 45, 50, 56];
const AGE_NAMES = ['<18', '18-24', '25-34', '35-44', '45-49', '50-55', '56+'];

export function ageBucket(age: number): number {
  let b = 0;
  while (b < AGE_EDGES.length && age >= AGE_EDGES[b]) b++;
  return b;
}

function userFeatures(dir: string, log: EventLog): { matrix: CsrMatrix; features: string[] } {
  const features: string[] = [];
  const index = new Map<string, number>();
  const col = (name: string): number => {
    let j = index.get(name);
    if (j === undefined) {
      j = features.length;
      features.push(name);
      index.set(name, j);
    }
    return j;
  };
  AGE_NAMES.forEach((a) => col(`age=${a}`));
  const r: number[] = [];
  const c: number[] = [];
  for (const line of readFileSync(join(dir, 'u.user'), 'latin1').split('\n')) {
    if (!line.trim()) continue;
    const [id, age, gender, occupation] = line.split('|');
    const u = log.customers.index(id);
    if (u < 0) continue;
    for (const name of [`age=${AGE_NAMES[ageBucket(Number(age))]}`, `gender=${gender}`, `occupation=${occupation}`]) {
      r.push(u);
      c.push(col(name));
    }
  }
  const matrix = CsrMatrix.fromCoo(log.customers.size, features.length, Int32Array.from(r), Int32Array.from(c), new Float32Array(r.length).fill(1));
  return { matrix, features };
}

function itemFeatures(dir: string, log: EventLog): { matrix: CsrMatrix; features: string[] } {
  const genres = readFileSync(join(dir, 'u.genre'), 'latin1')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.split('|')[0]);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (const line of readFileSync(join(dir, 'u.item'), 'latin1').split('\n')) {
    if (!line.trim()) continue;
    const f = line.split('|');
    const p = log.products.index(f[0]);
    if (p < 0) continue;
    const flags = f.slice(5).map(Number);
    const on = flags.map((x, g) => (x === 1 ? g : -1)).filter((g) => g >= 0);
    for (const g of on) {
      r.push(p);
      c.push(g);
      v.push(1 / on.length);
    }
  }
  const matrix = CsrMatrix.fromCoo(log.products.size, genres.length, Int32Array.from(r), Int32Array.from(c), Float32Array.from(v));
  return { matrix, features: genres.map((g) => `genre=${g}`) };
}

export interface MlRatingGroups {
  /** The user and item features above. */
  side: boolean;
  sideGroups?: 'attribute' | 'block';
  /** Quantile buckets of the rating time. */
  timeBuckets?: number;
  /** The user's u1.base movies, SVD++-style. */
  held?: boolean;
}

/** u1 designs with the feature groups asked for. */
export async function loadMlRating(dir: string, groups: MlRatingGroups): Promise<MlRating> {
  const split = await splitFromFiles(join(dir, 'u1.base'), join(dir, 'u1.test'));
  const opts: BuildDesignOptions = {
    ...(groups.side
      ? { customerFeatures: userFeatures(dir, split.train), productFeatures: itemFeatures(dir, split.train), sideGroups: groups.sideGroups }
      : {}),
    ...(groups.timeBuckets ? { timeCuts: timeCuts(split.train, groups.timeBuckets) } : {}),
    ...(groups.held ? { held: heldProducts(split.train) } : {}),
  };
  return { train: buildDesign(split.train, opts), test: buildDesign(split.test, opts) };
}
