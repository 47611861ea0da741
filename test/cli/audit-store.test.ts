// Issue 15, items 7, 10, 11 and 12 (and issue 10's --store rule and store owner): how commands open the store
// (read-only for commands that only read, never creating one), the spill folders an interrupted run
// leaves beside it, and output files whose folder is missing or cannot be written.
import { DuckDBInstance } from '@duckdb/node-api';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { holdStore, release } from '../helpers/hold-store.js';
import { CLI, runCli, scratchDir, type CliResult } from './run-cli.js';


/** A user mistake: exit code 2 and exactly one line on stderr, no stack trace. */
function expectOneLineError(r: CliResult, pattern: RegExp): void {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^nextbest: /);
  expect(lines[0]).toMatch(pattern);
}

/** Bytes under a file or folder (0 when absent; files DuckDB deletes meanwhile count as 0). */
function sizeOf(path: string): number {
  try {
    const s = statSync(path);
    if (!s.isDirectory()) return s.size;
    return readdirSync(path).reduce((sum, f) => sum + sizeOf(join(path, f)), 0);
  } catch {
    return 0;
  }
}



const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the store: read-only opens, no accidental stores, spill clean-up, output folders', () => {
  let base: string;
  let customers: number;
  /** A copy of a small synthetic store (300 customers) in a fresh folder, as s.duckdb. */
  const storeIn = (dir: string): string => {
    cpSync(join(base, 'base.duckdb'), join(dir, 's.duckdb'));
    return join(dir, 's.duckdb');
  };

  beforeAll(() => {
    base = scratchDir();
    expect(runCli(['generate', '--customers', '300', '--no-santander', '--out', 'gen'], base).code).toBe(0);
    const r = runCli(['ingest', 'gen', '--store', 'base.duckdb', '--json'], base);
    expect(r.code).toBe(0);
    customers = JSON.parse(r.stdout).store.customers;
    expect(customers).toBe(300);
  });

  it('item 7: commands that only read refuse a store that does not exist, name the commands that create one, and create nothing', () => {
    const dir = scratchDir();
    const readers = [['stats'], ['train', '--model', 'popularity'], ['evaluate', '--models', 'popularity'], ['segments'], ['export-libfm', '--out', 'x.libfm']];
    for (const args of readers) {
      expectOneLineError(
        runCli([...args, '--store', 'typo.duckdb'], dir),
        /^nextbest: the store typo\.duckdb does not exist; .*nextbest ingest .*nextbest start/,
      );
      expectOneLineError(runCli([...args, '--store', join('missing-dir', 's.duckdb')], dir), /the store missing-dir\/s\.duckdb does not exist/);
    }
    expectOneLineError(runCli(['stats'], dir), /the store \.nextbest\/store\.duckdb does not exist/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('one --store rule for every command: ingest refuses what stats refuses, and both take .duckdb and .db', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'c.csv'), 'customer_id,age\nA,30\nB,40\n');
    expectOneLineError(runCli(['ingest', '--format', 'customers', 'c.csv', '--store', 'plain'], dir), /--store plain is neither a \.duckdb file nor a PostgreSQL URL/);
    expectOneLineError(runCli(['stats', '--store', 'plain'], dir), /--store plain is neither a \.duckdb file nor a PostgreSQL URL/);
    expect(existsSync(join(dir, 'plain'))).toBe(false);
    expect(runCli(['ingest', '--format', 'customers', 'c.csv', '--store', 'x.db'], dir).code).toBe(0);
    const stats = runCli(['stats', '--store', 'x.db', '--json'], dir);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout).customers).toBe(2);
    // A DuckDB file that is not a store is refused, not given a store's tables.
    const other = await DuckDBInstance.create(join(dir, 'other.duckdb'));
    const conn = await other.connect();
    await conn.run('CREATE TABLE accounts (id INTEGER)');
    conn.closeSync();
    other.closeSync();
    expectOneLineError(runCli(['stats', '--store', 'other.duckdb'], dir), /^nextbest: other\.duckdb is not a nextbest store; /);
  });

  // Root writes through a 0444 file, so as root the CLI runs as uid 65534 (nobody): the file and its
  // folder are then really read-only to it, and the read-only open is what lets stats work.
  it('item 11: a read-only store file and folder serve stats; ingest says in one line that the store is read-only', () => {
    const dir = scratchDir();
    storeIn(dir);
    writeFileSync(join(dir, 'c.csv'), 'customer_id,age\nZ,50\n');
    chmodSync(join(dir, 's.duckdb'), 0o444);
    chmodSync(dir, 0o555);
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = (args: string[]): CliResult => {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: dir }, ...user });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    };
    try {
      const stats = run(['stats', '--store', 's.duckdb', '--json']);
      expect(stats.stderr).toBe('');
      expect(stats.code).toBe(0);
      expect(JSON.parse(stats.stdout).customers).toBe(customers);
      expectOneLineError(run(['ingest', '--format', 'customers', 'c.csv', '--store', 's.duckdb']), /^nextbest: the store s\.duckdb is read-only \(the file cannot be written\); /);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('item 11: readers share a store; a writer is refused while one reads, and a reader while one writes', async () => {
    const dir = scratchDir();
    const store = storeIn(dir);
    const reader = await holdStore(store, 'read');
    try {
      const stats = runCli(['stats', '--store', 's.duckdb', '--json'], dir);
      expect(stats.code).toBe(0);
      expect(JSON.parse(stats.stdout).customers).toBe(customers);
      expect(runCli(['train', '--model', 'popularity', '--store', 's.duckdb'], dir).code).toBe(0);
      expectOneLineError(runCli(['ingest', 'c.csv', '--store', 's.duckdb'], dir), /the store s\.duckdb is in use by another process \(pid \d+\); /);
    } finally {
      await release(reader);
    }
    const writer = await holdStore(store, 'write');
    try {
      expectOneLineError(
        runCli(['stats', '--store', 's.duckdb'], dir),
        new RegExp(`the store s\\.duckdb is held by hold-store\\.mjs \\(pid ${writer.pid}, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\); stop it or `),
      );
    } finally {
      await release(writer);
    }
  });

  it('issue 10: while a server holds the store, a command says so in one line and names the API route that does the same', async () => {
    const dir = scratchDir();
    const store = storeIn(dir);
    writeFileSync(join(dir, 'c.csv'), 'customer_id,age\nZ,50\n');
    const api = { url: 'http://127.0.0.1:8080', routes: { 'nextbest stats': 'GET /v1/stats', 'nextbest ingest': 'POST /v1/events:batch' } };
    const server = await holdStore(store, 'write', 'nextbest serve', api);
    try {
      const held = `^nextbest: the store s\\.duckdb is held by nextbest serve \\(pid ${server.pid}, since [^)]+\\); `;
      expectOneLineError(runCli(['stats', '--store', 's.duckdb'], dir), new RegExp(`${held}do the same through its API: GET http://127\\.0\\.0\\.1:8080/v1/stats, or stop it`));
      expectOneLineError(
        runCli(['ingest', '--format', 'customers', 'c.csv', '--store', 's.duckdb'], dir),
        new RegExp(`${held}do the same through its API: POST http://127\\.0\\.0\\.1:8080/v1/events:batch, or stop it`),
      );
      expectOneLineError(runCli(['segments', '--store', 's.duckdb'], dir), new RegExp(`${held}its API at http://127\\.0\\.0\\.1:8080 serves this store, or stop it`));
    } finally {
      await release(server);
    }
    expect(existsSync(`${store}.owner.json`)).toBe(false);
    expect(runCli(['ingest', '--format', 'customers', 'c.csv', '--store', 's.duckdb'], dir).code).toBe(0);
  });

  it('issue 13: a PostgreSQL server that does not answer is one line (password not echoed) and creates nothing', () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'c.csv'), 'customer_id,age\nZ,50\n');
    for (const args of [['stats'], ['ingest', '--format', 'customers', 'c.csv']]) {
      const r = runCli([...args, '--store', 'postgres://bank:s3cret@127.0.0.1:1/nextbest'], dir);
      // STORE_UNAVAILABLE: exit 1 (try again later), not 2 (a usage error).
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(/^nextbest: the store postgres:\/\/bank:\*\*\*@127\.0\.0\.1:1\/nextbest is unreachable \([^\n]*\); nothing was stored, retry when PostgreSQL is back$/);
    }
    expect(readdirSync(dir)).toEqual(['c.csv']);
  });

  it('item 12: after kill -9 during an ingest, the next command removes the spill folder and says how much', async () => {
    const dir = scratchDir();
    expect(runCli(['generate', '--customers', '20000', '--no-santander', '--out', 'gen'], dir).code).toBe(0);
    // A small memory limit makes this ingest spill to disk as a bank-sized one does.
    const ingest = spawn(process.execPath, [CLI, 'ingest', 'gen', '--store', 's.duckdb'], {
      cwd: dir,
      env: { ...process.env, NEXTBEST_MEMORY_LIMIT: '64MB' },
      stdio: 'ignore',
    });
    const spill = join(dir, 's.duckdb.tmp');
    const deadline = Date.now() + 90_000;
    while (sizeOf(spill) < 4e6) {
      if (ingest.exitCode !== null) throw new Error(`the ingest ended (code ${ingest.exitCode}) before it spilled 4 MB`);
      if (Date.now() > deadline) throw new Error('the ingest did not spill 4 MB in 90 s');
      await sleep(50);
    }
    // The ingest holds the store and says so beside it.
    expect(JSON.parse(readFileSync(`${join(dir, 's.duckdb')}.owner.json`, 'utf8'))).toMatchObject({ pid: ingest.pid, command: 'nextbest ingest' });
    ingest.kill('SIGKILL');
    await once(ingest, 'exit');
    const left = sizeOf(spill);
    expect(left).toBeGreaterThan(4e6);

    const stats = runCli(['stats', '--store', 's.duckdb', '--json'], dir);
    expect(stats.code).toBe(0);
    const notice = /^nextbest: removed (\d+(?:\.\d)?) MB of temporary files left by an interrupted run \(s\.duckdb\.tmp\)$/.exec(stats.stderr.trim());
    expect(notice, stats.stderr).not.toBeNull();
    expect(Number(notice![1])).toBeCloseTo(left / 1e6, 0);
    expect(existsSync(spill)).toBe(false);
    expect(JSON.parse(stats.stdout).events).toBe(0); // killed before its commit: the store is intact and empty
    const again = runCli(['stats', '--store', 's.duckdb'], dir);
    expect(again.stderr).toBe('');
    // The dead ingest's owner record is replaced by the next writer's, which removes it when done.
    writeFileSync(join(dir, 'c.csv'), 'customer_id,age\nZ,50\n');
    expect(runCli(['ingest', '--format', 'customers', 'c.csv', '--store', 's.duckdb'], dir).code).toBe(0);
    expect(existsSync(join(dir, 's.duckdb.owner.json'))).toBe(false);
  });

  it('NEXTBEST_MEMORY_LIMIT that is not a size is one line, exit 2', () => {
    const dir = scratchDir();
    storeIn(dir);
    const r = spawnSync(process.execPath, [CLI, 'stats', '--store', 's.duckdb'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', NEXTBEST_MEMORY_LIMIT: 'lots' },
    });
    expectOneLineError({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }, /^nextbest: NEXTBEST_MEMORY_LIMIT=lots is not a size; /);
  });

  it("item 12: a reader removes a writer's and dead readers' spill folders but not a live reader's; a writer removes all", () => {
    const dir = scratchDir();
    storeIn(dir);
    writeFileSync(join(dir, 'c.csv'), 'customer_id,age\nZ,50\n');
    const spillOf = (name: string, bytes: number): string => {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'duckdb_temp_storage_DEFAULT-0.tmp'), Buffer.alloc(bytes));
      return join(dir, name);
    };
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const writers = spillOf('s.duckdb.tmp', 1_000_000);
    const deadReader = spillOf(`s.duckdb.read-${dead}.tmp`, 2_000_000);
    const liveReader = spillOf(`s.duckdb.read-${process.pid}.tmp`, 500_000);

    const stats = runCli(['stats', '--store', 's.duckdb'], dir);
    expect(stats.code).toBe(0);
    expect(stats.stderr).toBe(
      `nextbest: removed 3.0 MB of temporary files left by an interrupted run (s.duckdb.read-${dead}.tmp, s.duckdb.tmp)\n`,
    );
    expect([existsSync(writers), existsSync(deadReader), existsSync(liveReader)]).toEqual([false, false, true]);

    const ingest = runCli(['ingest', '--format', 'customers', 'c.csv', '--store', 's.duckdb'], dir);
    expect(ingest.code).toBe(0);
    expect(ingest.stderr).toBe(`nextbest: removed 0.5 MB of temporary files left by an interrupted run (s.duckdb.read-${process.pid}.tmp)\n`);
    expect(existsSync(liveReader)).toBe(false);
  });

  it('item 10: every file a command writes gets its folder created; an unwritable path is one line, exit 2', () => {
    const dir = scratchDir();
    storeIn(dir);
    expect(runCli(['train', '--model', 'popularity', '--store', 's.duckdb'], dir).code).toBe(0);
    const csv = runCli(['export', '--store', 's.duckdb', '--k', '3', '--out', join('missing-dir', 'o.csv'), '--json'], dir);
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    const exported = JSON.parse(csv.stdout);
    expect(exported.rows).toBeGreaterThan(2 * customers);
    const rows = readFileSync(join(dir, 'missing-dir', 'o.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('customer,product,rank,score,reason');
    expect(rows).toHaveLength(1 + exported.rows);
    expect(runCli(['export', '--store', 's.duckdb', '--out', join('a', 'b', 'o.parquet')], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'a', 'b', 'o.parquet')).subarray(0, 4).toString()).toBe('PAR1');
    expect(runCli(['export-libfm', '--store', 's.duckdb', '--out', join('libfm', 'events.libfm')], dir).code).toBe(0);
    expect(existsSync(join(dir, 'libfm', 'events.libfm.map.json'))).toBe(true);

    writeFileSync(join(dir, 'file.txt'), 'not a folder');
    const blocked = /^nextbest: cannot [a-z ]+ file\.txt.*; /;
    expectOneLineError(runCli(['export', '--store', 's.duckdb', '--out', join('file.txt', 'o.csv')], dir), blocked);
    expectOneLineError(runCli(['export-libfm', '--store', 's.duckdb', '--out', join('file.txt', 'e.libfm')], dir), blocked);
    expectOneLineError(runCli(['predict', '--store', 's.duckdb', '--out', join('file.txt', 'p.csv')], dir), blocked);
    expectOneLineError(runCli(['train', '--model', 'popularity', '--store', 's.duckdb', '--out', join('file.txt', 'm.nbm')], dir), blocked);
    expectOneLineError(
      runCli(['evaluate', '--models', 'popularity', '--bootstrap', '0', '--store', 's.duckdb', '--report-dir', join('file.txt', 'r')], dir),
      blocked,
    );
    expectOneLineError(runCli(['generate', '--customers', '20', '--out', join('file.txt', 'gen')], dir), blocked);
    mkdirSync(join(dir, 'folder.csv'));
    expectOneLineError(runCli(['export', '--store', 's.duckdb', '--out', 'folder.csv'], dir), /^nextbest: --out folder\.csv is a folder; /);
  });
});
