// One scaling run in its own process, so its peak RSS (process.resourceUsage().maxRSS) belongs to this
// model and this size alone. Usage: node dist/bench/scaling-child.js MODEL NNZ -> prints one JSON line.
// MODEL is fm-sgd, fm-als, fm-mcmc (k = 8, regression on 1-5 ratings), als (implicit, 32 factors),
// warp or bpr (64 factors). The synthetic data set is generated here, directly as typed arrays.
import { Rng } from '../src/core/rng.js';
import { EVENT_TYPES } from '../src/data/model.js';
import { IdMap } from '../src/matrix/id-map.js';
import type { EventLog } from '../src/matrix/event-log.js';
import { AlsRecommender } from '../src/models/als.js';
import { BprRecommender } from '../src/models/bpr.js';
import { buildDesign, FactorizationMachine, type FmSolver } from '../src/models/fm/index.js';
import { trainingSet } from '../src/models/trained-model.js';
import { WarpRecommender } from '../src/models/warp.js';

/** Epochs (FM iterations / sweeps / samples, ALS alternations, SGD passes) per model. */
export const SCALING_EPOCHS: Readonly<Record<string, number>> = {
  'fm-sgd': 3,
  'fm-als': 3,
  'fm-mcmc': 3,
  als: 2,
  warp: 2,
  bpr: 2,
};

export interface ScalingResult {
  model: string;
  nnz: number;
  customers: number;
  products: number;
  epochs: number;
  /** Generating the data and building the interactions (or the FM design). */
  prepSeconds: number;
  fitSeconds: number;
  secondsPerEpoch: number;
  /** Seconds of each epoch, from the progress callbacks (the first includes the fit's own setup). */
  epochSeconds: number[];
  /** RSS after the data was prepared, before fit. */
  dataRssMiB: number;
  peakRssMiB: number;
}

/**
 * nnz distinct (customer, product) cells: customers = nnz / 20 with exponentially distributed history
 * lengths (mean 20), products = 3,000 drawn with a power-law popularity skew (product p has weight
 * about p^-1/2, the top 1% of products take ~10% of the cells), ratings 1-5 from customer and product
 * biases plus noise. Seeded, so every model sees the same data at a given size.
 */
export function syntheticLog(nnz: number, seed = 7): EventLog {
  const rng = new Rng(seed);
  const C = Math.max(1, Math.round(nnz / 20));
  const P = 3000;
  const cap = 300;
  if (nnz > C * cap) throw new Error(`nnz ${nnz} too large for ${C} customers`);
  const count = new Int32Array(C);
  let total = 0;
  for (let u = 0; u < C; u++) {
    const d = Math.min(cap, 1 + Math.floor(-Math.log(1 - rng.next()) * 19));
    count[u] = d;
    total += d;
  }
  while (total < nnz) {
    const u = rng.int(C);
    if (count[u] < cap) (count[u]++, total++);
  }
  while (total > nnz) {
    const u = rng.int(C);
    if (count[u] > 1) (count[u]--, total--);
  }
  const custBias = new Float32Array(C);
  for (let u = 0; u < C; u++) custBias[u] = 0.6 * rng.normal();
  const prodBias = new Float32Array(P);
  for (let p = 0; p < P; p++) prodBias[p] = 0.6 * rng.normal() + 0.4 * (1 - p / P);

  const customer = new Int32Array(nnz);
  const product = new Int32Array(nnz);
  const time = new Float64Array(nnz);
  const type = new Uint8Array(nnz).fill(EVENT_TYPES.indexOf('rating'));
  const value = new Float32Array(nnz);
  const stamp = new Int32Array(P).fill(-1);
  const t0 = Date.UTC(2024, 0, 1) / 1000;
  let i = 0;
  for (let u = 0; u < C; u++) {
    for (let d = 0; d < count[u]; d++) {
      let p: number;
      do {
        const r = rng.next();
        p = Math.floor(P * r * r);
      } while (stamp[p] === u);
      stamp[p] = u;
      customer[i] = u;
      product[i] = p;
      time[i] = t0 + i;
      const r = 3 + custBias[u] + prodBias[p] + 0.8 * rng.normal();
      value[i] = Math.min(5, Math.max(1, Math.round(r)));
      i++;
    }
  }
  const customers = new IdMap();
  for (let u = 0; u < C; u++) customers.add(`c${u}`);
  const products = new IdMap();
  for (let p = 0; p < P; p++) products.add(`p${p}`);
  return {
    customers,
    products,
    contexts: new IdMap(),
    customer,
    product,
    time,
    type,
    value,
    contextPtr: new Int32Array(nnz + 1),
    contextIds: new Int32Array(0),
    length: nnz,
  };
}

const mib = (bytes: number): number => bytes / 2 ** 20;

async function main(model: string, nnz: number): Promise<ScalingResult> {
  const epochs = SCALING_EPOCHS[model];
  if (!epochs) throw new Error(`unknown model ${model}; one of ${Object.keys(SCALING_EPOCHS).join(', ')}`);
  const prepStart = performance.now();
  const log = syntheticLog(nnz);
  const marks: number[] = [];
  let fit: () => Promise<void>;
  if (model.startsWith('fm-')) {
    const design = buildDesign(log);
    const fm = new FactorizationMachine();
    const solver = model.slice(3) as FmSolver;
    fit = async () => {
      fm.fit(design, { solver, k: 8, iterations: epochs, seed: 1, onProgress: () => marks.push(performance.now()) });
    };
  } else {
    const data = trainingSet(log);
    const rec =
      model === 'als'
        ? new AlsRecommender({ factors: 32, iterations: epochs })
        : model === 'warp'
          ? new WarpRecommender({ epochs })
          : new BprRecommender({ epochs });
    fit = () => rec.fit(data, { onProgress: () => marks.push(performance.now()) });
  }
  const prepSeconds = (performance.now() - prepStart) / 1000;
  const dataRssMiB = mib(process.memoryUsage().rss);
  const started = performance.now();
  await fit();
  const fitSeconds = (performance.now() - started) / 1000;
  const epochSeconds = marks.map((t, e) => (t - (e === 0 ? started : marks[e - 1])) / 1000);
  return {
    model,
    nnz,
    customers: log.customers.size,
    products: log.products.size,
    epochs,
    prepSeconds,
    fitSeconds,
    secondsPerEpoch: fitSeconds / epochs,
    epochSeconds,
    dataRssMiB,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

const [model, nnzArg] = process.argv.slice(2);
if (model !== undefined) {
  const nnz = Math.round(Number(nnzArg));
  if (!(nnz >= 1)) throw new Error(`NNZ must be a positive number, got ${nnzArg}`);
  process.stdout.write(JSON.stringify(await main(model, nnz)) + '\n');
}
