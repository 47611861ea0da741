// Derives independent random streams from the user's seed, one per generator stage, so that
// changing one stage (or skipping the Santander file) never shifts the numbers of another.
import { Rng } from '../../core/rng.js';

export const STREAMS = {
  population: 1,
  catalogueHoldings: 2,
  events: 3,
  offers: 4,
  santanderSetup: 5,
  santanderMonths: 6,
  launches: 7,
} as const;

/** A 32-bit seed for stream `stream` (murmur3 finaliser over seed and stream number). */
export const subSeed = (seed: number, stream: number): number => {
  let h = (seed >>> 0) ^ Math.imul(stream + 1, 0x9e3779b9);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

export const streamRng = (seed: number, stream: number): Rng => new Rng(subSeed(seed, stream));
