// Factors trained elsewhere, served and evaluated like any model (`nextbest import-factors`, or
// `--models factors` with the two files as parameters): "fitting" reads the customer and product factor
// tables (Parquet id, features[], as Spark MLlib's ALS writes them) and lines their rows up with the
// training set's ids; scores are customer . product. A product without a row scores 0; a customer
// without one (or with live events) is folded in from its history by the implicit-ALS least-squares
// solve against the imported product factors (confidence 1 + alpha r, regularization lambda).
import { z } from 'zod';
import { NextbestError } from '../core/errors.js';
import type { SparseRow } from '../matrix/index.js';
import { KernelScope, tsKernels } from '../kernels/index.js';
import { readFactorTable, type FactorTable } from '../store/index.js';
import { AlsSolver } from './als.js';
import type { FitOptions, TrainingSet } from './contract.js';
import { FactorRecommender } from './mf-common.js';
import { numberParam, parseParams, type RawParams } from './params.js';

export const ImportedFactorsParams = z
  .object({
    /** Parquet file of customer factors (id, features[]). */
    customers: z.string().min(1),
    /** Parquet file of product factors (id, features[]). */
    products: z.string().min(1),
    /** Fold-in: L2 penalty of the least-squares solve (Spark ALS's regParam is a fair start). */
    regularization: numberParam(z.number().positive()).default(0.1),
    /** Fold-in: confidence 1 + alpha r of a history entry of strength r. */
    alpha: numberParam(z.number().min(0)).default(1),
  })
  .strict();
export type ImportedFactorsParams = z.output<typeof ImportedFactorsParams>;

/** How many of the training set's ids the imported tables cover. */
export interface FactorCoverage {
  customers: { matched: number; of: number; unused: number };
  products: { matched: number; of: number; unused: number };
}

export class ImportedFactorsRecommender extends FactorRecommender<ImportedFactorsParams> {
  readonly name = 'factors';
  /** Set by fit. */
  coverage: FactorCoverage | null = null;
  private solver: AlsSolver | null = null;

  constructor(params: RawParams = {}) {
    super(parseParams('factors', ImportedFactorsParams, params));
  }

  async fit(data: TrainingSet, opts?: FitOptions): Promise<void> {
    const started = performance.now();
    opts?.signal?.throwIfAborted();
    const [users, items] = await Promise.all([readFactorTable(this.params.customers), readFactorTable(this.params.products)]);
    if (users.dim !== items.dim)
      throw new NextbestError('BAD_OPTION', `${this.params.customers} has ${users.dim} factors per row and ${this.params.products} ${items.dim}; give the two tables of one model`);
    const { log } = data;
    const user = aligned(users, log.customers.size, (id) => log.customers.index(id));
    const item = aligned(items, log.products.size, (id) => log.products.index(id));
    if (item.matched === 0)
      throw new NextbestError('BAD_OPTION', `no product id of ${this.params.products} is in the training events (e.g. ${items.ids[0]}); give factors trained on the same product ids`);
    this.coverage = {
      customers: { matched: user.matched, of: log.customers.size, unused: users.ids.length - user.matched },
      products: { matched: item.matched, of: log.products.size, unused: items.ids.length - item.matched },
    };
    this.install({ customers: log.customers.size, products: log.products.size, factors: users.dim, user: user.rows, item: item.rows, itemBias: new Float32Array(0), known: user.known });
    opts?.onProgress?.({ iteration: 1, total: 1, elapsedSeconds: (performance.now() - started) / 1000 });
  }

  protected override prepare(): void {
    const f = this.fitted();
    this.solver = new AlsSolver(f.factors, this.params.regularization, new KernelScope(tsKernels));
    this.solver.setOther(f.item, f.products);
  }

  foldIn(history: SparseRow): Float32Array {
    const f = this.fitted();
    return (this.solver as AlsSolver).foldIn(f.item, f.products, history, (r) => 1 + this.params.alpha * r);
  }
}

/** The table's rows in the training set's index order (zeros where it has none). */
function aligned(t: FactorTable, n: number, index: (id: string) => number): { rows: Float32Array; known: Uint8Array; matched: number } {
  const rows = new Float32Array(n * t.dim);
  const known = new Uint8Array(n);
  let matched = 0;
  t.ids.forEach((id, r) => {
    const i = index(id);
    if (i < 0) return;
    rows.set(t.factors.subarray(r * t.dim, (r + 1) * t.dim), i * t.dim);
    known[i] = 1;
    matched++;
  });
  return { rows, known, matched };
}
