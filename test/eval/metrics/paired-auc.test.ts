// AUC of two scorings of the same events with a bootstrap over clusters of their difference.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.js';
import { aucBinary } from '../../../src/eval/metrics/index.js';
import { pairedAuc } from '../../../src/eval/metrics/paired-auc.js';

/** n events in 50 clusters; labels drawn with P(1) rising in signal. */
function events(n: number, seed: number) {
  const rng = new Rng(seed);
  const signal = Float64Array.from({ length: n }, () => rng.normal());
  const labels = Uint8Array.from(signal, (s) => (rng.next() < 1 / (1 + Math.exp(-2 * s)) ? 1 : 0));
  const noise = Float64Array.from({ length: n }, () => rng.normal());
  const cluster = Int32Array.from({ length: n }, (_, i) => i % 50);
  return { signal, labels, noise, cluster };
}

describe('pairedAuc', () => {
  it('gives each scoring the AUC aucBinary gives, ties included', () => {
    const { signal, labels, noise, cluster } = events(500, 1);
    const rounded = Float64Array.from(signal, (s) => Math.round(s * 2) / 2);
    const r = pairedAuc(labels, rounded, noise, cluster, { samples: 50 });
    expect(r.a).toBeCloseTo(aucBinary(labels, rounded), 12);
    expect(r.b).toBeCloseTo(aucBinary(labels, noise), 12);
    expect(r.difference.mean).toBeCloseTo(r.a - r.b, 12);
  });

  it('finds an interval above zero when one scoring carries the signal, and one around zero for two noises', () => {
    const { signal, labels, noise, cluster } = events(2000, 2);
    const better = pairedAuc(labels, signal, noise, cluster, { samples: 300, seed: 5 });
    expect(better.difference.low).toBeGreaterThan(0.1);
    const other = Float64Array.from(noise, (x, i) => (i % 2 ? -x : x));
    const same = pairedAuc(labels, noise, other, cluster, { samples: 300, seed: 5 });
    expect(same.difference.low).toBeLessThan(0);
    expect(same.difference.high).toBeGreaterThan(0);
  });

  it('is reproducible for a seed and refuses a bad number of resamples', () => {
    const { signal, labels, noise, cluster } = events(300, 3);
    expect(pairedAuc(labels, signal, noise, cluster, { samples: 100, seed: 9 })).toEqual(pairedAuc(labels, signal, noise, cluster, { samples: 100, seed: 9 }));
    expect(() => pairedAuc(labels, signal, noise, cluster, { samples: 0 })).toThrow('bootstrap samples must be a positive integer');
  });
});
