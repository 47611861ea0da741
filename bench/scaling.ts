// Fit time per epoch and peak memory against the number of interactions, on synthetic data of 1 M, 3 M
// and 10 M distinct (customer, product) cells (customers = nnz / 20, 3,000 products with a popularity
// skew, ratings 1-5; see syntheticLog in scaling-child.ts). Each (model, size) runs in its own child
// process (dist/bench/scaling-child.js), so peak RSS is that run's alone. Growth is called linear when
// 10x the data takes at most 11x the time per epoch (in general: time ratio <= 1.1 x data ratio,
// largest size against the smallest). The WebAssembly-vs-TypeScript kernel table is bench/kernels.ts.
// BENCH_SCALING=1e5,3e5,1e6 picks the sizes; BENCH_SCALING_MODELS=fm-sgd,als the models;
// BENCH_SCALING_BUDGET_S (default 600) the wall-clock budget: a run whose projected time (its
// previous size's wall time scaled by the data ratio, plus 20%) would overrun it is skipped and
// reported as such. `node dist/bench/scaling.js` prints the table alone.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ScalingResult } from './scaling-child.js';

const here = dirname(fileURLToPath(import.meta.url));

const MODELS: readonly { name: string; label: string }[] = [
  { name: 'fm-sgd', label: 'FM SGD (k=8)' },
  { name: 'fm-als', label: 'FM ALS (k=8)' },
  { name: 'fm-mcmc', label: 'FM MCMC (k=8)' },
  { name: 'als', label: 'implicit ALS (32 factors, CG)' },
  { name: 'warp', label: 'WARP (64 factors)' },
  { name: 'bpr', label: 'BPR (64 factors)' },
];



type Run = { ok: true; r: ScalingResult; wall: number } | { ok: false; nnz: number; why: string };

function parseSizes(spec: string | undefined): number[] {
  if (!spec) return [1e6, 3e6, 1e7];
  const sizes = spec.split(',').map((s) => Math.round(Number(s.trim())));
  if (sizes.length === 0 || sizes.some((n) => !(n >= 20)))
    throw new Error(`BENCH_SCALING must be a comma-separated list of sizes >= 20, got "${spec}"`);
  return [...sizes].sort((a, b) => a - b);
}

function runChild(model: string, nnz: number, timeoutMs: number): Promise<{ r: ScalingResult; wall: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(here, 'scaling-child.js'), model, String(nnz)],
      { encoding: 'utf8', maxBuffer: 1 << 24, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err) {
          const killed = (err as { killed?: boolean }).killed;
          const tail = String(stderr).trim().split('\n').slice(-3).join(' ');
          reject(new Error(killed ? `killed after ${(timeoutMs / 1000).toFixed(0)} s (budget)` : `child failed: ${tail || err.message}`));
          return;
        }
        const line = String(stdout).trim().split('\n').pop() as string;
        resolve({ r: JSON.parse(line) as ScalingResult, wall: (performance.now() - started) / 1000 });
      },
    );
  });
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const sizeLabel = (n: number): string => (n >= 1e6 ? `${fmt(n / 1e6, n % 1e6 ? 1 : 0)} M` : n >= 1e3 ? `${fmt(n / 1e3, n % 1e3 ? 1 : 0)} k` : String(n));

export async function benchScaling(): Promise<string> {
  const sizes = parseSizes(process.env.BENCH_SCALING);
  const wanted = process.env.BENCH_SCALING_MODELS?.split(',').map((s) => s.trim());
  const models = wanted ? MODELS.filter((m) => wanted.includes(m.name)) : MODELS;
  const budget = Number(process.env.BENCH_SCALING_BUDGET_S ?? 600);
  const benchStart = performance.now();
  const elapsed = (): number => (performance.now() - benchStart) / 1000;

  // Size-major order: every model gets its small runs before any model's largest run eats the budget.
  const runs = new Map<string, Run[]>(models.map((m) => [m.name, []]));
  for (const nnz of sizes) {
    for (const m of models) {
      const done = runs.get(m.name)!;
      const prev = [...done].reverse().find((x) => x.ok) as Extract<Run, { ok: true }> | undefined;
      if (done.length > 0 && !done[done.length - 1].ok) {
        done.push({ ok: false, nnz, why: 'skipped: the previous size did not finish' });
        continue;
      }
      // The remaining runs of this size and of larger ones share what is left of the budget.
      const projected = prev ? prev.wall * (nnz / prev.r.nnz) * 1.2 : 0;
      const left = budget - elapsed();
      if (prev && projected > left) {
        done.push({ ok: false, nnz, why: `skipped: projected ${fmt(projected)} s, ${fmt(Math.max(0, left))} s of the ${fmt(budget)} s budget left` });
        continue;
      }
      try {
        const { r, wall } = await runChild(m.name, nnz, Math.ceil(Math.max(30, left) * 1000));
        done.push({ ok: true, r, wall });
      } catch (e) {
        done.push({ ok: false, nnz, why: (e as Error).message });
      }
    }
  }

  const base = sizes[0];
  const lines = [
    `| model | nnz | s/epoch | ratio vs ${sizeLabel(base)} (time / data) | peak RSS MiB | bytes per interaction |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const verdicts: string[] = [];
  for (const m of models) {
    const done = runs.get(m.name)!;
    const first = done.find((x) => x.ok && x.r.nnz === base) as Extract<Run, { ok: true }> | undefined;
    for (const x of done) {
      if (!x.ok) {
        lines.push(`| ${m.label} | ${sizeLabel(x.nnz)} | — | — | — | ${x.why} |`);
        continue;
      }
      const { r } = x;
      const ratio = first
        ? `${fmt(r.secondsPerEpoch / first.r.secondsPerEpoch, 2)}x / ${fmt(r.nnz / first.r.nnz, r.nnz % first.r.nnz ? 1 : 0)}x`
        : '—';
      lines.push(
        `| ${m.label} | ${sizeLabel(r.nnz)} | ${fmt(r.secondsPerEpoch, 3)} | ${ratio} | ${fmt(r.peakRssMiB)} | ${fmt((r.peakRssMiB * 2 ** 20) / r.nnz)} |`,
      );
    }
    const ok = done.filter((x): x is Extract<Run, { ok: true }> => x.ok);
    const last = ok[ok.length - 1];
    if (!first || !last || last === first) {
      verdicts.push(`- ${m.label}: growth not measured (fewer than two sizes finished).`);
      continue;
    }
    const dataRatio = last.r.nnz / first.r.nnz;
    const timeRatio = last.r.secondsPerEpoch / first.r.secondsPerEpoch;
    const linear = timeRatio <= 1.1 * dataRatio;
    const marginal = ((last.r.peakRssMiB - first.r.peakRssMiB) * 2 ** 20) / (last.r.nnz - first.r.nnz);
    const partial = last.r.nnz < sizes[sizes.length - 1] ? ` (largest size ${sizeLabel(sizes[sizes.length - 1])} not run)` : '';
    verdicts.push(
      `- ${m.label}: ${fmt(dataRatio, 1)}x the data (${sizeLabel(first.r.nnz)} -> ${sizeLabel(last.r.nnz)}) took ${fmt(timeRatio, 2)}x the time per epoch: ` +
        `${linear ? 'linear' : 'NOT linear'} (limit ${fmt(1.1 * dataRatio, 1)}x)${partial}; ` +
        `marginal memory ${fmt(marginal)} bytes per added interaction.`,
    );
  }
  const epochs = models
    .map((m) => {
      const r = (runs.get(m.name)!.find((x) => x.ok) as Extract<Run, { ok: true }> | undefined)?.r;
      return r ? `${m.name} ${r.epochs}` : null;
    })
    .filter(Boolean)
    .join(', ');
  return (
    `Fit time per epoch vs interactions (synthetic: customers = nnz / 20, 3,000 products with a popularity skew, ratings 1-5; ` +
    `one child process per run; s/epoch = whole fit / epochs, epochs: ${epochs}; peak RSS includes the data, the interaction ` +
    `matrices or FM design, and Node itself)\n\n${lines.join('\n')}\n\n${verdicts.join('\n')}\n\ntotal ${fmt(elapsed(), 0)} s`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await benchScaling());
