// santander.csv: monthly product-holding snapshots in the Kaggle layout, one product column per
// catalogue product (PLANTED.santander.products), starting from each customer's initial holdings and
// evolving month to month by planted acquisition and drop rates; streamed month by month with only
// typed arrays per customer.
import { PLANTED } from './planted.js';
import { CatalogueInterest, compileSeason, PairLifts } from './affinity.js';
import { DayTable, dayOfMonthNumber, epochDay, isoDate, monthNumber } from './calendar.js';
import { CATALOGUE, catalogueIndex } from './catalogue.js';
import { ageInMonth, customerNumber, type Population } from './customers.js';
import { ascii, ByteChunk, Pieces, type ChunkedFileWriter } from './csv-writer.js';
import { streamRng, STREAMS } from './seeds.js';
import { SEGMENTS } from './vocab.js';
import {
  BLANK_DEMOGRAPHICS,
  CENTS,
  CHANNEL_WEIGHTS,
  CHANNELS,
  COUNTRIES,
  EMPLOYEE_CODES,
  EMPLOYEE_COUNTRY_SEX_AGE,
  EMPLOYEE_SHARE,
  FIXED,
  FLAGS_HIGH,
  FLAGS_LOW,
  FOREIGN_PROVINCE,
  LAST_FLAGS,
  LAST_FLAGS_NA,
  MAX_AGE,
  MAX_SENIORITY,
  NEW_SENIORITY,
  PROVINCE_ACTIVITY,
  PROVINCES,
  RELATION,
  RENTA_NA,
  RESIDENCE_CHANNEL,
  SANTANDER_HEADER,
  segmentoFields,
  SEX_V_SHARE,
} from './santander-format.js';

/** Month number of the first snapshot (January 2015). */
export const SANTANDER_FIRST_MONTH = monthNumber(2015, 1);

const S = PLANTED.santander;
const N_PRODUCTS = S.products.length;
/** Catalogue index of the product each column holds. */
const COLUMN_PRODUCT = Int32Array.from(S.products, (p) => catalogueIndex(p.product));

/** fecha_alta strings cover every possible opening day. */
const ALTA_FIRST = epochDay(1995, 1, 1);

/** The per-customer state that is fixed over the months, one typed array per field. */
interface SantanderCustomers {
  readonly sex: Uint8Array;
  readonly country: Uint8Array;
  readonly employee: Uint8Array;
  readonly province: Uint8Array;
  readonly channel: Uint8Array;
  readonly rentaNa: Uint8Array;
  /** Epoch day of fecha_alta. */
  readonly altaDay: Int32Array;
  /** Current holdings, bit j = product column j; starts from the initial holdings, updated in place month by month. */
  readonly holdings: Int32Array;
}

export const santanderRowCount = (pop: Population): number => {
  let rows = 0;
  for (let i = 0; i < pop.size; i++) rows += pop.months - pop.joinMonth[i];
  return rows;
};

const interest = new CatalogueInterest(S.products.map((p) => p.product));
const seasonTable = compileSeason(Array.from(COLUMN_PRODUCT, (k) => CATALOGUE[k].type));
const pairs = new PairLifts(
  S.products.map((p) => p.product),
  PLANTED.coHolding,
);
const acquireWeight = Float64Array.from(S.products, (p) => p.acquireWeight);

/** A catalogue holdings mask (bit k = CATALOGUE[k]) as a column mask (bit j = column j). */
const columnMask = (held: number): number => {
  let mask = 0;
  for (let j = 0; j < N_PRODUCTS; j++) if ((held >>> COLUMN_PRODUCT[j]) & 1) mask |= 1 << j;
  return mask;
};

const setupCustomers = (pop: Population, seed: number, initial: Int32Array, altaTable: DayTable): SantanderCustomers => {
  const rng = streamRng(seed, STREAMS.santanderSetup);
  const n = pop.size;
  const c: SantanderCustomers = {
    sex: new Uint8Array(n),
    country: new Uint8Array(n),
    employee: new Uint8Array(n),
    province: new Uint8Array(n),
    channel: new Uint8Array(n),
    rentaNa: new Uint8Array(n),
    altaDay: new Int32Array(n),
    holdings: new Int32Array(n),
  };
  const provinceWeights = PROVINCES.map((p) => p[2]);
  const channelWeights = SEGMENTS.map((s) => CHANNEL_WEIGHTS[S.segmento[s]]);
  const newFrom = epochDay(2014, 8, 1);
  const newTo = epochDay(2015, 1, 27);
  const oldTo = newFrom - 1;
  const altaLast = altaTable.first + altaTable.strings.length - 1;
  for (let i = 0; i < n; i++) {
    c.sex[i] = rng.next() < SEX_V_SHARE ? 1 : 0;
    const foreign = rng.bernoulli(S.foreignShare);
    c.country[i] = foreign ? 1 + rng.int(COUNTRIES.length - 1) : 0;
    c.province[i] = foreign ? FOREIGN_PROVINCE : rng.weighted(provinceWeights);
    c.employee[i] = rng.bernoulli(EMPLOYEE_SHARE) ? 1 + rng.int(EMPLOYEE_CODES.length - 1) : 0;
    c.channel[i] = rng.weighted(channelWeights[pop.segment[i]]);
    c.rentaNa[i] = rng.bernoulli(S.rentaNaShare) ? 1 : 0;

    const join = pop.joinMonth[i];
    let alta: number;
    if (join > 0) alta = dayOfMonthNumber(SANTANDER_FIRST_MONTH + join, 1 + rng.int(27));
    else {
      // Accounts open from age 18 on; customers too young for an old account are new ones.
      const adult = Math.max(ALTA_FIRST, dayOfMonthNumber(pop.birthMonth[i] + 18 * 12));
      alta = rng.bernoulli(S.newCustomerShare) || adult > oldTo ? newFrom + rng.int(newTo - newFrom + 1) : adult + rng.int(oldTo - adult + 1);
    }
    c.altaDay[i] = Math.min(alta, altaLast);
    c.holdings[i] = columnMask(initial[i]);
  }
  return c;
};

/**
 * The planted add hazard of each column for a customer holding `held` (a column mask) at the start of
 * calendar month `calMonth`, up to the month's common factor (acquireRate x activity x monthFactor, the
 * same for every column): acquireWeight x interest (`pref`) x season of the column's product type x the
 * co-holding lifts of what is held; 0 for a column already held.
 */
const addWeights = (held: number, pref: Float64Array, calMonth: number, out: Float64Array): void => {
  for (let j = 0; j < N_PRODUCTS; j++)
    out[j] = (held >>> j) & 1 ? 0 : acquireWeight[j] * pref[j] * seasonTable[j * 12 + calMonth] * pairs.liftFor(j, held);
};

/**
 * Customer i's add hazard of each column (file order) in month number `month`, holding the column mask
 * `held` at the end of the month before: the chance that a customer who adds one product this month adds
 * column j is out[j] / sum(out). Ranking by it is the best any model can do (the limit of the adds task).
 */
export const santanderAddHazards = (pop: Population, i: number, month: number, held: number, out: Float64Array): void => {
  const pref = new Float64Array(N_PRODUCTS);
  interest.of(pop, i, ageInMonth(pop, i, month), pref);
  addWeights(held, pref, month % 12, out);
};

/**
 * Picks the column a customer acquires this month among those not held, or -1 if none is possible;
 * `pref` is the customer's interest in each column's product this month.
 */
const pickAcquisition = (u: number, held: number, pref: Float64Array, calMonth: number, weights: Float64Array): number => {
  addWeights(held, pref, calMonth, weights);
  let total = 0;
  for (let j = 0; j < N_PRODUCTS; j++) weights[j] = total += weights[j];
  if (total <= 0) return -1;
  const x = u * total;
  for (let j = 0; j < N_PRODUCTS; j++) if (x < weights[j] && !((held >>> j) & 1)) return j;
  return -1;
};

const pickHeld = (u: number, held: number): number => {
  let count = 0;
  for (let m = held; m; m &= m - 1) count++;
  let k = Math.floor(u * count);
  for (let j = 0; j < N_PRODUCTS; j++) if ((held >>> j) & 1 && k-- === 0) return j;
  return -1;
};

/**
 * The fields from indresi to segmento never change for a customer, so they are assembled once
 * (about 60 bytes a customer, in one typed array) and copied whole into each monthly row.
 */
const buildTails = (pop: Population, c: SantanderCustomers): Pieces => {
  const segmento = segmentoFields(SEGMENTS.map((s) => S.segmento[s]));
  const nChannels = CHANNELS.length;
  const start = new Int32Array(pop.size + 1);
  const scratch = new ByteChunk(new Uint8Array(4096));
  const piece = (i: number): void => {
    scratch.pos = 0;
    scratch.piece(RESIDENCE_CHANNEL, (c.country[i] === 0 ? 0 : nChannels) + c.channel[i]);
    scratch.piece(PROVINCE_ACTIVITY, c.province[i] * 2 + pop.active[i]);
    if (c.rentaNa[i]) scratch.piece(FIXED, RENTA_NA);
    else {
      const cents = pop.incomeCents[i];
      const euros = (cents / 100) | 0;
      scratch.int(euros);
      scratch.piece(CENTS, cents - euros * 100);
    }
    scratch.piece(segmento, pop.segment[i]);
  };
  for (let i = 0; i < pop.size; i++) {
    piece(i);
    start[i + 1] = start[i] + scratch.pos;
  }
  const bytes = new Uint8Array(start[pop.size]);
  for (let i = 0; i < pop.size; i++) {
    piece(i);
    bytes.set(scratch.buf.subarray(0, scratch.pos), start[i]);
  }
  return new Pieces(bytes, start);
};

/**
 * Streams the snapshots of `pop` (month 1 for everyone present, then month 2, ...) into `w`.
 * Rows are assembled from prebuilt byte pieces: no per-row strings, so no garbage.
 * Returns the number of data rows.
 */
export const writeSantanderRows = async (
  w: ChunkedFileWriter,
  pop: Population,
  seed: number,
  initial: Int32Array,
  onRows: (done: number) => void,
): Promise<number> => {
  const altaTable = new DayTable(ALTA_FIRST, epochDay(2030, 12, 31));
  const altaField = Pieces.of(altaTable.strings);
  const c = setupCustomers(pop, seed, initial, altaTable);
  const tails = buildTails(pop, c);
  const rng = streamRng(seed, STREAMS.santanderMonths);
  const weights = new Float64Array(N_PRODUCTS);
  const pref = new Float64Array(N_PRODUCTS);
  const blankShare = S.blankRowShare;
  const naLimit = blankShare + S.payrollNaShare;
  const nCountries = COUNTRIES.length;
  const out = new ByteChunk();
  const header = ascii(SANTANDER_HEADER);
  out.buf.set(header);
  out.pos = header.length;
  let rows = 0;

  for (let m = 0; m < pop.months; m++) {
    const month = SANTANDER_FIRST_MONTH + m;
    const cal = month % 12;
    const fecha = Pieces.of([isoDate(dayOfMonthNumber(month, 28)) + ',']);
    const formatChanged = m >= S.formatChangeMonth;
    const relation = formatChanged ? 2 : 0;
    const lastFlags = formatChanged ? 8 : 0;
    const lastFlagsNa = LAST_FLAGS_NA + (formatChanged ? 2 : 0);
    const acquire = [0, 1].map((a) => S.acquireRate * (a ? S.activeAcquireFactor.active : S.activeAcquireFactor.inactive) * S.monthFactor[cal]);
    const drop = [0, 1].map((a) => S.dropRate * (a ? S.activeDropFactor.active : S.activeDropFactor.inactive));

    for (let i = 0; i < pop.size; i++) {
      const join = pop.joinMonth[i];
      if (join > m) continue;
      const active = pop.active[i];
      let held = c.holdings[i];
      if (join < m) {
        if (rng.next() < acquire[active]) {
          interest.of(pop, i, ageInMonth(pop, i, month), pref);
          const j = pickAcquisition(rng.next(), held, pref, cal, weights);
          if (j >= 0) held |= 1 << j;
        }
        if (held !== 0 && rng.next() < drop[active]) held &= ~(1 << pickHeld(rng.next(), held));
        c.holdings[i] = held;
      }

      out.piece(fecha, 0);
      out.int(customerNumber(i));
      const u = rng.next();
      if (u < blankShare) out.piece(FIXED, BLANK_DEMOGRAPHICS);
      else {
        const alta = c.altaDay[i] - altaTable.first;
        const seniority = month - altaTable.month[alta];
        const age = Math.min(MAX_AGE, ageInMonth(pop, i, month));
        out.piece(EMPLOYEE_COUNTRY_SEX_AGE, ((c.employee[i] * nCountries + c.country[i]) * 2 + c.sex[i]) * (MAX_AGE + 1) + age);
        out.piece(altaField, alta);
        out.piece(NEW_SENIORITY, seniority < 0 ? 0 : seniority > MAX_SENIORITY ? MAX_SENIORITY : seniority);
        out.piece(RELATION, relation + active);
        out.piece(tails, i);
      }
      out.piece(FLAGS_LOW, held & 2047);
      out.piece(FLAGS_HIGH, (held >>> 11) & 1023);
      if (u >= blankShare && u < naLimit) out.piece(LAST_FLAGS, lastFlagsNa + ((held >>> 23) & 1));
      else out.piece(LAST_FLAGS, lastFlags + ((held >>> 21) & 7));
      rows++;
      if (out.full) {
        await w.flush(out);
        onRows(rows);
      }
    }
  }
  await w.flush(out);
  onRows(rows);
  return rows;
};
