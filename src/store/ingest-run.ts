// What every store does around a load, whatever its backend: the input checked and its rejects file
// opened before, and the report of the committed load after (the store's counts read once the
// transaction is over, so a failed count never passes for a failed load).
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { NextbestError } from '../core/errors.js';
import { fileStamp } from '../core/file-stamp.js';
import { RejectsFile } from '../data/rejects.js';
import type { LoadCounts, Loader } from '../data/sink.js';
import type { AddedCounts, IngestOptions, IngestReport, StagedCounts, StoreCounts } from './store.js';

/** What a load committed: the loader's counts, the rejects file kept (null when none was), what was staged and added. */
export interface CommittedLoad {
  loaded: LoadCounts;
  rejectsFile: string | null;
  staged: StagedCounts;
  added: AddedCounts;
}

export class IngestRun {
  readonly rejects: RejectsFile;
  private readonly started = performance.now();

  /** Refuses an input that does not exist; rejected rows go to opts.rejectsPath, by default `<opts.rejectsDir or rejectsDir>/<input name>-<time>.rejects.csv`. */
  constructor(
    private readonly loader: Loader,
    private readonly input: string,
    opts: IngestOptions,
    rejectsDir: string,
  ) {
    if (!existsSync(input)) throw new NextbestError('FILE_NOT_FOUND', `${input} does not exist; check the path`);
    this.rejects = new RejectsFile(opts.rejectsPath ?? join(opts.rejectsDir ?? rejectsDir, `${basename(input)}-${fileStamp()}.rejects.csv`));
  }

  /** The load's report, with the store's counts after it and the seconds since the run began. */
  report({ loaded, rejectsFile, staged, added }: CommittedLoad, store: StoreCounts): IngestReport {
    return {
      format: this.loader.format,
      source: this.input,
      accepted: loaded.accepted,
      rejected: loaded.rejected,
      rejectsFile,
      ...staged,
      added,
      store,
      seconds: (performance.now() - this.started) / 1000,
    };
  }
}
