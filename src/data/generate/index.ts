// The synthetic bank data generator behind `nextbest generate`: customers, products, offers,
// events and optionally a Kaggle-Santander-shaped holdings file of the same customers and products
// (with santander-columns.csv saying which product each column holds), all reproducible from one seed.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorMessage, NextbestError } from '../../core/errors.js';
import { CATALOGUE, productsCsv } from './catalogue.js';
import { buildPopulation, writeCustomersCsv, type Population } from './customers.js';
import { withFileWriter } from './csv-writer.js';
import { writeEventsCsv } from './funnel.js';
import { initialHoldings } from './holdings.js';
import { productsWithLaunchesCsv } from './launches.js';
import { buildOffers, offersCsv } from './offers.js';
import { PLANTED } from './planted.js';
import { santanderColumnsCsv } from './santander-format.js';
import { santanderRowCount, writeSantanderRows } from './santander.js';

export { PLANTED, type PlantedStructure, type LaunchedProduct, type CoHoldingPair, type SantanderProduct } from './planted.js';
export { CATALOGUE, type CatalogueProduct } from './catalogue.js';
export { buildPopulation, type Population } from './customers.js';
export { SANTANDER_HEADER } from './santander-format.js';
export { EVENTS_HEADER } from './funnel.js';
export * from './vocab.js';

export interface GenerateOptions {
  customers: number;
  seed: number;
  /** Months of history; default 17 (January 2015 to May 2016). */
  months?: number;
  outDir: string;
  /** Also write santander.csv and santander-columns.csv; default false. */
  santander?: boolean;
  /** Add the products launched during the window (PLANTED.launches) to products.csv and events.csv; default false. */
  launches?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateResult {
  files: { customers: string; products: string; offers: string; events: string; santander?: string; santanderColumns?: string };
  counts: { customers: number; products: number; offers: number; events: number; santanderRows?: number };
}

export interface SantanderFileOptions {
  customers: number;
  /** Default 17. */
  months?: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SantanderFileResult {
  rows: number;
  bytes: number;
}

export const MAX_CUSTOMERS = 20_000_000;
export const MAX_MONTHS = 60;

const checkSizes = (customers: unknown, months: unknown, seed: unknown): { customers: number; months: number; seed: number } => {
  if (typeof customers !== 'number' || !Number.isInteger(customers) || customers < 1 || customers > MAX_CUSTOMERS)
    throw new NextbestError('BAD_OPTION', `customers must be a whole number from 1 to ${MAX_CUSTOMERS}, got ${String(customers)}`);
  const m = months ?? PLANTED.window.defaultMonths;
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 1 || m > MAX_MONTHS)
    throw new NextbestError('BAD_OPTION', `months must be a whole number from 1 to ${MAX_MONTHS}, got ${String(months)}`);
  if (typeof seed !== 'number' || !Number.isInteger(seed))
    throw new NextbestError('BAD_OPTION', `seed must be a whole number, got ${String(seed)}`);
  return { customers, months: m, seed };
};

/** Creates the output directory, turning a failure into a message that says what to change. */
const ensureDir = async (dir: string): Promise<void> => {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new NextbestError('BAD_OPTION', `cannot create output directory ${dir} (${errorMessage(e)}); choose a writable directory`);
  }
};

const santanderInto = async (
  path: string,
  pop: Population,
  seed: number,
  initial: Int32Array,
  onRows: (done: number) => void,
): Promise<SantanderFileResult> => {
  const { result, bytes } = await withFileWriter(path, (w) => writeSantanderRows(w, pop, seed, initial, onRows));
  return { rows: result, bytes };
};

/**
 * Streams only the Santander file: one row per customer per month, months ascending, with bounded
 * memory (typed arrays per customer, ~0.5 MB chunks). Same rows as generateBankData's santander.csv.
 */
export const writeSantanderFile = async (path: string, opts: SantanderFileOptions): Promise<SantanderFileResult> => {
  const { customers, months, seed } = checkSizes(opts.customers, opts.months, opts.seed);
  await ensureDir(dirname(path));
  const pop = buildPopulation(customers, seed, months);
  const total = santanderRowCount(pop);
  return santanderInto(path, pop, seed, initialHoldings(pop, seed), (done) => opts.onProgress?.(done, total));
};

export const generateBankData = async (opts: GenerateOptions): Promise<GenerateResult> => {
  const { customers, months, seed } = checkSizes(opts.customers, opts.months, opts.seed);
  if (typeof opts.outDir !== 'string' || opts.outDir.trim() === '')
    throw new NextbestError('BAD_OPTION', 'outDir must name a directory to write the generated files into');
  await ensureDir(opts.outDir);

  const pop = buildPopulation(customers, seed, months);
  const initial = initialHoldings(pop, seed);
  const santanderRows = opts.santander ? santanderRowCount(pop) : 0;
  // Progress counts customers written twice (customers.csv, events.csv) plus Santander rows.
  const total = 2 * customers + santanderRows;
  const report = (done: number): void => opts.onProgress?.(done, total);

  const files: GenerateResult['files'] = {
    customers: join(opts.outDir, 'customers.csv'),
    products: join(opts.outDir, 'products.csv'),
    offers: join(opts.outDir, 'offers.csv'),
    events: join(opts.outDir, 'events.csv'),
  };
  await withFileWriter(files.customers, (w) => writeCustomersCsv(w, pop, report));
  await writeFile(files.products, opts.launches ? productsWithLaunchesCsv() : productsCsv());
  const offers = buildOffers(seed, months);
  await writeFile(files.offers, offersCsv(offers));
  const { result: events } = await withFileWriter(files.events, (w) => writeEventsCsv(w, pop, seed, initial, (d) => report(customers + d), opts.launches));
  const products = CATALOGUE.length + (opts.launches ? PLANTED.launches.products.length : 0);
  const counts: GenerateResult['counts'] = { customers, products, offers: offers.length, events };
  if (opts.santander) {
    files.santander = join(opts.outDir, 'santander.csv');
    files.santanderColumns = join(opts.outDir, 'santander-columns.csv');
    await writeFile(files.santanderColumns, santanderColumnsCsv());
    counts.santanderRows = (await santanderInto(files.santander, pop, seed, initial, (d) => report(2 * customers + d))).rows;
  }
  return { files, counts };
};
