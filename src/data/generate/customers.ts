// The customer population, held as typed arrays (one slot per customer, never one object each)
// so a million customers fit in a few tens of MB, plus the writer for customers.csv.
import { streamRng, STREAMS } from './seeds.js';
import { PLANTED } from './planted.js';
import { monthNumber } from './calendar.js';
import { BEH_SEGMENTS, LIFE_STAGES, SEGMENTS, lifeStageIndexOfAge } from './vocab.js';
import { CHUNK_CHARS, type ChunkedFileWriter } from './csv-writer.js';

export interface Population {
  readonly size: number;
  readonly months: number;
  /** Age at the end of the window (the age written to customers.csv). */
  readonly age: Uint8Array;
  /** Month number (year * 12 + month - 1) of birth, for the age in earlier months. */
  readonly birthMonth: Int32Array;
  /** Annual income in euro cents. */
  readonly incomeCents: Int32Array;
  readonly segment: Uint8Array;
  readonly lifeStage: Uint8Array;
  readonly beh: Uint8Array;
  readonly active: Uint8Array;
  readonly coldStart: Uint8Array;
  /** Window month (0-based) in which the customer joined; 0 for customers there from the start. */
  readonly joinMonth: Uint8Array;
}

/** Month number of the last month of every window (May 2016). */
export const WINDOW_END_MONTH = monthNumber(2016, 5);

const MAX_INCOME_CENTS = 2_000_000_000;

const weightsOf = <K extends string>(keys: readonly K[], shares: Readonly<Record<K, number>>): number[] => keys.map((k) => shares[k]);

export const buildPopulation = (size: number, seed: number, months: number): Population => {
  const rng = streamRng(seed, STREAMS.population);
  const P = PLANTED.population;
  const bands = P.ageBands;
  const bandWeights = bands.map((b) => b.share);
  const youngSeg = weightsOf(SEGMENTS, P.youngSegmentShares);
  const oldSeg = weightsOf(SEGMENTS, P.segmentShares);
  const behBySeg = SEGMENTS.map((s) => weightsOf(BEH_SEGMENTS, P.behShares[s]));
  const retiredBeh = weightsOf(BEH_SEGMENTS, P.retiredBehShares);
  const retired = LIFE_STAGES.indexOf('RETIRED');
  const activeShare = BEH_SEGMENTS.map((b) => P.activeShare[b]);
  const { ageFloor, agePeak, ageWidth } = P.incomeAgeCurve;

  const pop: Population = {
    size,
    months,
    age: new Uint8Array(size),
    birthMonth: new Int32Array(size),
    incomeCents: new Int32Array(size),
    segment: new Uint8Array(size),
    lifeStage: new Uint8Array(size),
    beh: new Uint8Array(size),
    active: new Uint8Array(size),
    coldStart: new Uint8Array(size),
    joinMonth: new Uint8Array(size),
  };
  for (let i = 0; i < size; i++) {
    const band = bands[rng.weighted(bandWeights)];
    const age = band.from + rng.int(band.to - band.from + 1);
    const seg = rng.weighted(age <= P.youthMaxAge ? youngSeg : oldSeg);
    const stage = lifeStageIndexOfAge(age);
    const beh = rng.weighted(stage === retired ? retiredBeh : behBySeg[seg]);
    const segName = SEGMENTS[seg];
    const curve = ageFloor + (1 - ageFloor) * Math.exp(-(((age - agePeak) / ageWidth) ** 2));
    const income = P.incomeBase[segName] * curve * Math.exp(P.incomeSigma[segName] * rng.normal());
    pop.age[i] = age;
    pop.birthMonth[i] = WINDOW_END_MONTH - age * 12 - rng.int(12);
    pop.incomeCents[i] = Math.min(MAX_INCOME_CENTS, Math.round(income * 100));
    pop.segment[i] = seg;
    pop.lifeStage[i] = stage;
    pop.beh[i] = beh;
    pop.active[i] = rng.bernoulli(activeShare[beh]) ? 1 : 0;
    pop.coldStart[i] = rng.bernoulli(P.coldStartShare) ? 1 : 0;
    pop.joinMonth[i] = months > 1 && rng.bernoulli(P.lateJoinShare) ? 1 + rng.int(months - 1) : 0;
  }
  return pop;
};

/**
 * The customer number of customer index i, the same in every file (customer_id, Idcol and the
 * Santander file's ncodpers): 1000001 for the first customer.
 */
export const customerNumber = (i: number): number => 1_000_001 + i;

/** Age in the month with month number `month` (ages change on the birthday month). */
export const ageInMonth = (pop: Population, i: number, month: number): number => ((month - pop.birthMonth[i]) / 12) | 0;

const CENTS = Array.from({ length: 100 }, (_, c) => (c === 0 ? '' : c % 10 === 0 ? `.${c / 10}` : `.${String(c).padStart(2, '0')}`));

/** Euros from cents with the fewest decimals (87218.1, 35548.74, 30000), without float formatting. */
export const formatCents = (cents: number): string => `${(cents / 100) | 0}${CENTS[cents % 100]}`;

export const CUSTOMERS_HEADER = 'customer_id,age,income,segment,beh_segment,active_ind,life_stage\n';

export const writeCustomersCsv = async (
  w: ChunkedFileWriter,
  pop: Population,
  onRows: (done: number) => void,
): Promise<number> => {
  let chunk = CUSTOMERS_HEADER;
  for (let i = 0; i < pop.size; i++) {
    chunk += `${customerNumber(i)},${pop.age[i]},${formatCents(pop.incomeCents[i])},${SEGMENTS[pop.segment[i]]},${BEH_SEGMENTS[pop.beh[i]]},${pop.active[i]},${LIFE_STAGES[pop.lifeStage[i]]}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      await w.write(chunk);
      chunk = '';
      onRows(i + 1);
    }
  }
  await w.write(chunk);
  onRows(pop.size);
  return pop.size;
};
