// A PostgreSQL store has no folder of its own: `nextbest ingest` writes its rejects file to
// NEXTBEST_HOME/rejects, beside the models and reports of that store (src/app/store-folder.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databases, testPostgres } from '../helpers/postgres.js';
import { runCli, scratchDir } from './run-cli.js';

const server = testPostgres('the rejects folder of a PostgreSQL store');

describe.skipIf(!server)('ingest into a PostgreSQL store', () => {
  const database = server ? databases(server, 'rejects') : () => '';

  it('writes the rejects file to NEXTBEST_HOME/rejects', () => {
    const dir = scratchDir();
    writeFileSync(
      join(dir, 'log.csv'),
      [
        'Idcol,interaction,int_date,item,item_type,item_descrip,segment,beh_segment,active_ind,page,tod',
        'C1,DISPLAY,2016-01-02 10:00:00,P1,card,Gold card,MASS,DIGITAL,1,home,morning',
        'C1,CLICKED,2016-01-02 10:00:05,P1,card,Gold card,MASS,DIGITAL,1,home,morning',
      ].join('\n'),
    );
    const home = join(dir, 'home');
    const before = process.env.NEXTBEST_HOME;
    process.env.NEXTBEST_HOME = home;
    try {
      const r = runCli(['ingest', 'log.csv', '--store', database(), '--json'], dir);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { accepted: number; rejected: number; rejectsFile: string };
      expect(report).toMatchObject({ accepted: 1, rejected: 1 });
      expect(report.rejectsFile.startsWith(join(home, 'rejects'))).toBe(true);
      expect(readFileSync(report.rejectsFile, 'utf8')).toContain('CLICKED');
      expect(existsSync(join(dir, '.nextbest', 'rejects'))).toBe(false);
    } finally {
      if (before === undefined) delete process.env.NEXTBEST_HOME;
      else process.env.NEXTBEST_HOME = before;
    }
  }, 60_000);
});
