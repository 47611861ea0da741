// Child processes in store tests run the compiled build (dist/), since node cannot import the
// TypeScript sources: rebuild it when it is older than the store's sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCES = ['src/store', 'src/store/duckdb', 'src/data', 'src/core'];

/**
 * Rebuilds (tsc -p tsconfig.json) when a compiled file the children depend on is missing or older
 * than its source. tsc emits even when other parts of the tree do not type-check, so its exit code
 * is ignored; the freshness check afterwards decides.
 */
export function buildIfStale(): void {
  const stale = (): string[] =>
    SOURCES.flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(dir, f))
        .filter((src) => {
          const out = join(root, 'dist', src.replace(/\.ts$/, '.js'));
          return !existsSync(out) || statSync(out).mtimeMs < statSync(join(root, src)).mtimeMs;
        }),
    );
  if (stale().length === 0) return;
  let output = '';
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
  } catch (e) {
    output = String((e as { stdout?: string }).stdout ?? e);
  }
  const still = stale().filter((f) => f.startsWith('src/store/'));
  if (still.length > 0) throw new Error(`tsc -p tsconfig.json did not produce ${still.join(', ')}:\n${output}`);
}
