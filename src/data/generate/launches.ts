// Products launched during the events window (`generate --launches`, PLANTED.launches): after its
// launch day, a display of the catalogue is followed, with PLANTED.launches.displayShare, by a display
// of one launched product, in the same second, page and time of day. Its funnel is its template's
// (interest, seasonality, co-holdings, held factors) with the click rate times its planted uptake.
// A stream of its own draws all of it, so the catalogue's events are the same with launches or without.
import { CATALOGUE, catalogueIndex, productsCsvOf } from './catalogue.js';
import { epochDay } from './calendar.js';
import { PLANTED } from './planted.js';
import type { Rng } from '../../core/rng.js';

/** Index of the first launched product in an event's product bits (after the catalogue). */
export const LAUNCH_BASE = CATALOGUE.length;

export interface LaunchSchedule {
  /** Seconds from the window's first day at which each launched product becomes available. */
  readonly from: Float64Array;
  /** Catalogue index of each one's template. */
  readonly like: Int32Array;
  readonly uptake: Float64Array;
}

export const launchSchedule = (firstDay: number): LaunchSchedule => {
  const L = PLANTED.launches.products;
  return {
    from: Float64Array.from(L, (p) => {
      const [y, m, d] = p.launch.split('-').map(Number);
      return Math.max(0, epochDay(y, m, d) - firstDay) * 86_400;
    }),
    like: Int32Array.from(L, (p) => catalogueIndex(p.like)),
    uptake: Float64Array.from(L, (p) => p.uptake),
  };
};

/** The launched product (index among PLANTED.launches.products) displayed after a display at time t, or -1. */
export const launchedDisplay = (s: LaunchSchedule, t: number, rng: Rng): number => {
  let live = 0;
  for (let l = 0; l < s.from.length; l++) if (t >= s.from[l]) live++;
  if (live === 0 || rng.next() >= PLANTED.launches.displayShare) return -1;
  let pick = rng.int(live);
  for (let l = 0; l < s.from.length; l++) if (t >= s.from[l] && pick-- === 0) return l;
  return -1;
};

/** products.csv with the launched products after the catalogue. */
export const productsWithLaunchesCsv = (): string => productsCsvOf([...CATALOGUE, ...PLANTED.launches.products]);
