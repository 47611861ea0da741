// Issue 15, items 3, 6 (small test sets) and 9: model parameters that no model runs are refused,
// parameters have ranges, Ctrl-C stops training cleanly, and an evaluation on fewer than 30 customers
// says so. Everything through the built CLI on a generated bank store.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli, scratchDir, type CliResult } from './run-cli.js';

/** runCli, but a command still running after a minute is killed (code -1): a refused parameter is refused at once. */
function runCliWithin(args: string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000, killSignal: 'SIGKILL' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A user mistake: exit code 2 and exactly one line on stderr, no stack trace. */
function expectOneLineError(r: CliResult, pattern: RegExp): void {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^nextbest: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.code).toBe(2);
}

const WARNING = /^nextbest: warning: only (\d+) customers in the (test|validation) set; .* unreliable below 30$/;

/** Lines of stderr that are small-sample warnings. */
const warnings = (stderr: string): string[] => stderr.split('\n').filter((l) => WARNING.test(l));

describe('model parameters, their ranges, Ctrl-C and small test sets (issue 15)', () => {
  const dir = scratchDir();
  const models = join(dir, '.nextbest', 'models');

  beforeAll(() => {
    expect(runCli(['generate', '--customers', '2000'], dir).code).toBe(0);
    expect(runCli(['ingest', join('.nextbest', 'synthetic')], dir).code).toBe(0);
  });

  it('refuses a parameter for a model the command does not run, or that does not exist (item 3)', () => {
    const known = /known models: popularity, sims, item-knn, user-knn, ease, als, bpr, warp, fm/;
    const evaluate = runCli(['evaluate', '--models', 'popularity', '--param', 'zzz.k=3'], dir);
    expectOneLineError(evaluate, /--param zzz\.k=3 names model "zzz", which evaluate does not run \(it runs popularity\)/);
    expectOneLineError(evaluate, known);
    expectOneLineError(
      runCli(['evaluate', '--models', 'popularity', '--param', 'ease.lambda=3'], dir),
      /--param ease\.lambda=3 names model "ease", which evaluate does not run \(it runs popularity\)/,
    );
    expectOneLineError(runCli(['train', '--model', 'als', 'zzz.k=3'], dir), /zzz\.k=3 names model "zzz", which train does not run \(it runs als\)/);
    expectOneLineError(
      runCli(['tune', '--model', 'ease', '--grid', 'lambda=100,300', '--param', 'als.factors=3'], dir),
      /--param als\.factors=3 names model "als", which tune does not run \(it runs ease\)/,
    );
    expectOneLineError(
      runCli(['evaluate', '--task', 'classification', '--models', 'prior', '--param', 'fm.k=3'], dir),
      /--param fm\.k=3 names model "fm", which evaluate does not run \(it runs prior\); known models: fm, prior/,
    );
  });

  it('refuses an unknown parameter of a model it runs, naming its parameters, for every task (item 3)', () => {
    expectOneLineError(runCli(['evaluate', '--models', 'popularity', '--param', 'popularity.zzz=1'], dir), /model "popularity" has no parameter "zzz" \(its parameters: mode, /);
    expectOneLineError(runCli(['evaluate', '--task', 'rating', '--models', 'prior', '--param', 'prior.zzz=1'], dir), /model "prior" has no parameter "zzz" \(it has no parameters\)/);
    expectOneLineError(
      runCli(['evaluate', '--task', 'classification', '--models', 'prior,fm', '--param', 'fm.zzz=1'], dir),
      /model "fm" has no parameter "zzz" \(its parameters: solver, k, iterations, /,
    );
    expectOneLineError(runCli(['tune', '--model', 'ease', '--grid', 'zzz=1,2'], dir), /model "ease" has no parameter "zzz" \(its parameters: lambda, /);
  });

  it('refuses parameters out of their documented range (item 9)', () => {
    expectOneLineError(runCliWithin(['train', '--model', 'als', 'iterations=1e12'], dir), /model "als" parameter iterations=1e12: must be <= 10000/);
    expectOneLineError(runCliWithin(['train', '--model', 'bpr', 'epochs=20000'], dir), /model "bpr" parameter epochs=20000: must be <= 10000/);
    expectOneLineError(runCliWithin(['train', '--model', 'item-knn', 'neighbours=1e9'], dir), /model "item-knn" parameter neighbours=1e9: must be <= /);
    expectOneLineError(
      runCliWithin(['train', '--task', 'classification', '--model', 'fm', 'k=5000'], dir),
      /model "fm" parameter k=5000: must be <= 1024/,
    );
    expect(existsSync(models)).toBe(false);
  });

  it('stops training on Ctrl-C with one line, exit code 130, no model file and the store intact (item 9)', async () => {
    const before = JSON.parse(runCli(['stats', '--json'], dir).stdout);
    const child = spawn(process.execPath, [CLI, 'train', '--model', 'als', 'iterations=10000', 'factors=128'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? String(signal))));
    await new Promise((resolve) => setTimeout(resolve, 6000)); // loaded and fitting by now
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr.trim().split('\n')).toEqual(['nextbest: interrupted; nothing was saved']);
    expect(existsSync(models) ? readdirSync(models) : []).toEqual([]);
    const after = runCli(['stats', '--json'], dir);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual(before);
  });

  it('warns when fewer than 30 customers are evaluated, on stderr and in the JSON report (item 6)', () => {
    const ranking = runCli(['evaluate', '--models', 'popularity', '--split', 'temporal:2016-05-31', '--bootstrap', '100', '--report-dir', 'few', '--json'], dir);
    expect(ranking.code).toBe(0);
    expect(warnings(ranking.stderr)).toEqual([
      'nextbest: warning: only 1 customers in the test set; intervals and the paired test are unreliable below 30',
    ]);
    const report = JSON.parse(ranking.stdout);
    expect(report.customers).toBe(1);
    expect(report.warning).toBe('only 1 customers in the test set; intervals and the paired test are unreliable below 30');
    const markdown = readdirSync(join(dir, 'few')).filter((f) => f.endsWith('.md'));
    expect(markdown).toHaveLength(1);
    expect(readFileSync(join(dir, 'few', markdown[0]), 'utf8')).toContain(`Warning: ${report.warning}.`);

    const pointwise = runCli(['evaluate', '--task', 'rating', '--models', 'prior', '--split', 'temporal:2016-05-31', '--json'], dir);
    expect(pointwise.code).toBe(0);
    expect(warnings(pointwise.stderr)).toHaveLength(1);
    expect(JSON.parse(pointwise.stdout).warning).toMatch(/^only \d+ customers in the test set; /);

    // The whole store is far above 30 customers: no warning.
    const whole = runCli(['evaluate', '--models', 'popularity', '--bootstrap', '0', '--json'], dir);
    expect(whole.code).toBe(0);
    expect(warnings(whole.stderr)).toEqual([]);
    expect(JSON.parse(whole.stdout).warning).toBeUndefined();
  });

  it('refuses an evaluation with no test customer, and an AUC over one class, instead of printing NaN', () => {
    expectOneLineError(
      runCli(['evaluate', '--models', 'popularity', '--split', 'temporal:2030-01-01'], dir),
      /^nextbest: split temporal:\d+ leaves no customer with relevant test events \(click, checkout, .*\); choose another split/,
    );
    // The funnel's events all carry a positive value: none of them is declined.
    expectOneLineError(
      runCli(['evaluate', '--task', 'classification', '--models', 'prior', '--split', 'temporal:2016-05-31'], dir),
      /^nextbest: split temporal:\d+'s test events are all accepted \(\d+\); AUC needs accepted and declined events/,
    );
    expectOneLineError(runCli(['evaluate', '--task', 'classification', '--models', 'prior', '--folds', '3'], dir), /^nextbest: the events are all accepted/);
  });

  it("warns when tune's validation set or predict's events hold fewer than 30 customers (item 6)", () => {
    const rows = (users: number, items: number[]): string =>
      Array.from({ length: users }, (_, u) => items.map((i) => `u${u}\tp${(u + i) % 12}\t1\t${1000 + i}`).join('\n')).join('\n') + '\n';
    writeFileSync(join(dir, 'train.tsv'), rows(20, [0, 1, 2, 3, 4, 5]));
    writeFileSync(join(dir, 'test.tsv'), rows(20, [7]));
    const tune = runCli(['tune', '--model', 'item-knn', '--grid', 'neighbours=5,10', '--split', 'files:train.tsv,test.tsv', '--json'], dir);
    expect(tune.code).toBe(0);
    expect(warnings(tune.stderr)).toHaveLength(1);
    expect(warnings(tune.stderr)[0]).toMatch(/in the validation set/);
    expect(JSON.parse(tune.stdout).warning).toMatch(/^only \d+ customers in the validation set; /);

    expect(runCli(['train', '--task', 'classification', '--model', 'fm', 'iterations=5'], dir).code).toBe(0);
    const predict = runCli(['predict', '--split', 'temporal:2016-05-31', '--json'], dir);
    expect(predict.code).toBe(0);
    expect(warnings(predict.stderr)).toHaveLength(1);
    expect(JSON.parse(predict.stdout).warning).toMatch(/^only \d+ customers in the test set; /);
    // The funnel's events are all accepted: log-loss, and no AUC, said once on stderr.
    expect(predict.stderr).toMatch(/^nextbest: warning: the events are all accepted \(\d+\); AUC needs accepted and declined events, so there is no AUC$/m);
    expect(Object.keys(JSON.parse(predict.stdout).metrics)).toEqual(['logloss']);
  });
});
