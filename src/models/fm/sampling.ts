// Random draws the Gibbs sampler needs beyond Rng's uniform and normal: gamma and truncated normal.
import type { Rng } from '../../core/rng.js';
import { normalCdf, normalPdf } from './model.js';

/** Gamma(shape, rate) by Marsaglia and Tsang (2000); shape < 1 via the boost U^(1/shape). */
export function gamma(rng: Rng, shape: number, rate: number): number {
  if (shape < 1) return gamma(rng, shape + 1, rate) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z: number;
    let v: number;
    do {
      z = rng.normal();
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (u < 1 - 0.0331 * z * z * z * z || Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

/** Standard normal conditioned on being > a (Robert 1995: plain rejection near the mode, exponential proposals in the tail). */
function normalAbove(rng: Rng, a: number): number {
  if (a < 0.5) {
    for (;;) {
      const z = rng.normal();
      if (z > a) return z;
    }
  }
  const lambda = (a + Math.sqrt(a * a + 4)) / 2;
  for (;;) {
    const z = a - Math.log(1 - rng.next()) / lambda;
    const d = z - lambda;
    if (rng.next() < Math.exp(-0.5 * d * d)) return z;
  }
}

/** N(mean, 1) conditioned on > 0 (positive) or < 0 (negative): the probit model's latent target. */
export function truncatedNormal(rng: Rng, mean: number, positive: boolean): number {
  return positive ? mean + normalAbove(rng, -mean) : mean - normalAbove(rng, mean);
}

/** E[z | z > 0] (positive) or E[z | z < 0] for z ~ N(mean, 1): the latent target ALS (EM) uses. */
export function truncatedNormalMean(mean: number, positive: boolean): number {
  const m = positive ? mean : -mean;
  // E[z | z > 0] = m + phi(m) / Phi(m); for very negative m the Mills ratio phi/Phi tends to -m + 1/(-m).
  const ratio = m < -30 ? -m + 1 / -m : normalPdf(m) / Math.max(normalCdf(m), 1e-300);
  const e = m + ratio;
  return positive ? e : -e;
}
