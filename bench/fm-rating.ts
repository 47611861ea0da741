// ML-RATING (ml-100k u1.base -> u1.test, k = 8) through the CLI a user runs: `nextbest ingest` into a
// scratch store, then `nextbest evaluate --task rating --json` per configuration. RMSE beside fit time,
// and the held-products group as a relation block (ALS / MCMC sweep it on per-customer sums) against
// the same group written into every row (10 samples only: the rows layout is ~15x slower).
// Skipped when ../shared/data is absent.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'src', 'cli', 'main.js');

const SIDE = ['fm.customerAttributes=age,gender,occupation', 'fm.productAttributes=genre:*'];
const CASES: { label: string; params: string[]; seeds?: number[] }[] = [
  { label: 'MCMC ids, 100 samples', params: ['fm.solver=mcmc', 'fm.features=ids'] },
  { label: 'MCMC +side, 100 samples', params: ['fm.solver=mcmc', 'fm.features=ids,customer,product', ...SIDE] },
  { label: 'MCMC +side +held (block), 100 samples', params: ['fm.solver=mcmc', 'fm.features=ids,customer,product,held', ...SIDE] },
  { label: 'MCMC +side +held (block), 10 samples', params: ['fm.solver=mcmc', 'fm.iterations=10', 'fm.features=ids,customer,product,held', ...SIDE] },
  {
    label: 'MCMC +side +held (rows), 10 samples',
    params: ['fm.solver=mcmc', 'fm.iterations=10', 'fm.heldLayout=rows', 'fm.features=ids,customer,product,held', ...SIDE],
  },
  {
    label: 'ALS +side +held (block), 30 sweeps, reg 10 ids / 40 rest, mean of seeds 1-4',
    seeds: [1, 2, 3, 4],
    params: ['fm.solver=als', 'fm.iterations=30', 'fm.regIds=10', 'fm.reg=40', 'fm.initStdev=0.05', 'fm.features=ids,customer,product,held', ...SIDE],
  },
  { label: 'SGD +side, 60 epochs', params: ['fm.solver=sgd', 'fm.iterations=60', 'fm.learnRate=0.003', 'fm.reg=0.05', 'fm.features=ids,customer,product', ...SIDE] },
];

export function benchFmRating(): string {
  const data = resolve('..', 'shared', 'data', 'ml-100k');
  if (!existsSync(data)) return `ML-RATING FM bench skipped: ${data} is absent`;
  const dir = mkdtempSync(join(tmpdir(), 'nextbest-fm-bench-'));
  try {
    const run = (args: string[]): string => execFileSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 });
    run(['ingest', data]);
    const split = `files:${join(data, 'u1.base')},${join(data, 'u1.test')}`;
    const lines = ['| FM on ML-RATING (k = 8) | RMSE | MAE | fit s |', '| --- | ---: | ---: | ---: |'];
    for (const c of CASES) {
      const runs = (c.seeds ?? [1]).map((seed) => {
        const params = [...c.params, `fm.seed=${seed}`].flatMap((p) => ['--param', p]);
        return JSON.parse(run(['evaluate', '--task', 'rating', '--models', 'fm', '--split', split, '--json', ...params])).models[0];
      });
      const mean = (f: (m: (typeof runs)[number]) => number): number => runs.reduce((s, m) => s + f(m), 0) / runs.length;
      const rmse = mean((m) => m.metrics.rmse).toFixed(4) + (runs.length > 1 ? ` (${runs.map((m) => m.metrics.rmse.toFixed(4)).join(', ')})` : '');
      lines.push(`| ${c.label} | ${rmse} | ${mean((m) => m.metrics.mae).toFixed(4)} | ${mean((m) => m.fitSeconds).toFixed(1)} |`);
    }
    return lines.join('\n') + '\n\nlibFM 1.4.4 (BENCHMARKS.md): MCMC +side 0.9039 in 5.7 s, ALS +side 0.9152 in 5.9 s, MCMC ids 0.9239 in 2.5 s';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
