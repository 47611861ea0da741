// The sequential model's weights as named Float32Arrays (one per tensor, row-major), the layout the tf
// training graph exports and the plain-TypeScript forward pass reads; also what an artifact saves.
import { Rng } from '../../core/rng.js';
import { SESSION_DISTANCES } from './sessions.js';

export interface SequentialShape {
  products: number;
  /** Embedding width d. */
  factors: number;
  blocks: number;
  heads: number;
  maxLength: number;
  /** Whether the session level (distance bias and previous-session summary) is on. */
  sessions: boolean;
}

export type SequentialWeights = Record<string, Float32Array>;

/** Every weight's name and shape. item: (products + 1) x d, row 0 the padding; the rest per block "b<k>.". */
export function weightShapes(s: SequentialShape): [string, number[]][] {
  const d = s.factors;
  const out: [string, number[]][] = [
    ['item', [s.products + 1, d]],
    ['position', [s.maxLength, d]],
  ];
  if (s.sessions) out.push(['sessionProjection', [d, d]], ['sessionBias', [s.blocks, SESSION_DISTANCES]]);
  for (let b = 0; b < s.blocks; b++)
    out.push(
      [`b${b}.ln1.gain`, [d]], [`b${b}.ln1.bias`, [d]],
      [`b${b}.query`, [d, d]], [`b${b}.key`, [d, d]], [`b${b}.value`, [d, d]],
      [`b${b}.ln2.gain`, [d]], [`b${b}.ln2.bias`, [d]],
      [`b${b}.ffn1`, [d, d]], [`b${b}.ffn1.bias`, [d]], [`b${b}.ffn2`, [d, d]], [`b${b}.ffn2.bias`, [d]],
    );
  out.push(['final.gain', [d]], ['final.bias', [d]]);
  return out;
}

/** Seeded start: Glorot-uniform matrices, layer-norm gains 1, biases 0, padding row 0. */
export function initialWeights(s: SequentialShape, seed: number): SequentialWeights {
  const rng = new Rng(seed);
  const w: SequentialWeights = {};
  for (const [name, shape] of weightShapes(s)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(size);
    if (name.endsWith('.gain')) a.fill(1);
    else if (shape.length === 2 && name !== 'sessionBias') {
      const limit = Math.sqrt(6 / (shape[0] + shape[1]));
      for (let t = 0; t < size; t++) a[t] = (2 * rng.next() - 1) * limit;
      if (name === 'item') a.fill(0, 0, s.factors);
    }
    w[name] = a;
  }
  return w;
}
