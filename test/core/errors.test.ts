// The one error table: every code has a status, an exit code and a summary from the allowed sets, every
// code thrown in src/ is in the table and every table code is thrown somewhere (or marked reserved), a
// NextbestError carries its code's status and exit, and the README's Errors table is the same table.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_TABLE, NextbestError, type ErrorCode } from '../../src/core/errors.js';

const STATUSES = [400, 401, 403, 404, 409, 413, 429, 500, 503];
const EXITS = [1, 2, 130];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every `new NextbestError(` in src/, with the code literal it passes (null when the code is not a literal). */
function throwSites(): { file: string; code: string | null }[] {
  // errors.ts defines the class, and raises again what a worker thread raised (its code a literal there).
  return sourceFiles('src').filter((file) => file !== join('src', 'core', 'errors.ts')).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return Array.from(text.matchAll(/new NextbestError\(\s*(?:'([A-Z_]+)')?/g), (m) => ({ file, code: m[1] ?? null }));
  });
}

describe('the error table', () => {
  it('gives every code a status, an exit code and a summary from the allowed sets', () => {
    expect(ERROR_CODES.length).toBeGreaterThan(0);
    for (const code of ERROR_CODES) {
      const spec = ERROR_TABLE[code];
      expect(STATUSES, code).toContain(spec.status);
      expect(EXITS, code).toContain(spec.exit);
      expect(spec.summary, code).toMatch(/^[A-Z].{20,}\.$/);
      expect(spec.summary, code).not.toMatch(/\n|\|/); // one line, and safe inside a Markdown table
    }
  });

  it('pairs statuses with exit codes: a 4xx is a user mistake (exit 2), a 5xx an internal fault (exit 1) or an interrupt (130)', () => {
    for (const code of ERROR_CODES) {
      const { status, exit } = ERROR_TABLE[code];
      if (status < 500) expect(exit, code).toBe(2);
      else expect([1, 130], code).toContain(exit);
    }
  });

  it('keeps 401 and 403 for keys and scopes, and 413 and 429 for the server', () => {
    const byStatus = (s: number): ErrorCode[] => ERROR_CODES.filter((c) => ERROR_TABLE[c].status === s);
    expect(byStatus(401)).toEqual(['UNAUTHORIZED']);
    expect(byStatus(403)).toEqual(['FORBIDDEN']);
    expect(byStatus(413)).toEqual(['BODY_TOO_LARGE']);
    expect(byStatus(429)).toEqual(['RATE_LIMITED']);
    expect(ERROR_TABLE.INTERRUPTED.exit).toBe(130);
  });

  it('makes a NextbestError carry its code, status and exit code from the table', () => {
    for (const code of ERROR_CODES) {
      const e = new NextbestError(code, 'what is wrong; what to do');
      expect([e.code, e.status, e.exit, e.message]).toEqual([code, ERROR_TABLE[code].status, ERROR_TABLE[code].exit, 'what is wrong; what to do']);
    }
  });
});

describe('the throw sites in src/', () => {
  const sites = throwSites();

  it('name their code as a literal, so this scan sees every one', () => {
    expect(sites.length).toBeGreaterThan(150);
    expect(sites.filter((s) => s.code === null).map((s) => s.file)).toEqual([]);
  });

  it('use only codes in the table', () => {
    const unknown = sites.filter((s) => !(s.code! in ERROR_TABLE)).map((s) => `${s.file}: ${s.code}`);
    expect(unknown).toEqual([]);
  });

  it('use every code of the table that is not reserved, and no reserved one', () => {
    const used = new Set(sites.map((s) => s.code));
    const reserved = ERROR_CODES.filter((c) => ERROR_TABLE[c].reserved);
    expect(ERROR_CODES.filter((c) => !ERROR_TABLE[c].reserved && !used.has(c))).toEqual([]);
    expect(reserved.filter((c) => used.has(c))).toEqual([]);
  });

  it('the CLI interrupt handler exits with the INTERRUPTED exit code', () => {
    // Ctrl-C is not a thrown error: the handler writes its line and exits; the exit code must match the table.
    const handler = readFileSync('src/cli/interrupt.ts', 'utf8');
    expect(handler).toMatch(new RegExp(`process\\.exit\\((?:${ERROR_TABLE.INTERRUPTED.exit}|ERROR_TABLE\\.INTERRUPTED\\.exit)\\)`));
  });
});

describe('the README', () => {
  it("lists the table under Errors, row for row (code, HTTP status, exit code, meaning)", () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = /\n## Errors\n([\s\S]*?)\n## /.exec(readme)?.[1];
    expect(section).toBeDefined();
    const rows = section!
      .split('\n')
      .filter((line) => /^\| `[A-Z_]+` \|/.test(line))
      .map((line) => line.slice(1, -1).split(' | ').map((cell) => cell.trim()));
    const expected = ERROR_CODES.map((code) => {
      const { status, exit, summary, reserved } = ERROR_TABLE[code];
      return [`\`${code}\``, String(status), String(exit), reserved ? `${summary} (Not raised yet: for \`nextbest ${reserved}\`.)` : summary];
    });
    expect(rows).toEqual(expected);
  });
});
