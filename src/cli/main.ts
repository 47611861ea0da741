#!/usr/bin/env node
// The nextbest command line. Every error ends as one line on stderr: a NextbestError with its code's exit
// code from the error table (2 a user mistake, 1 an internal fault), a usage error from commander or a
// filesystem failure with exit code 2, anything else with exit code 1 (NEXTBEST_DEBUG=1 shows the
// stack); Ctrl-C as one line and exit code 130.
import { Command, CommanderError } from 'commander';
import { ERROR_TABLE, errorMessage, isNextbestError } from '../core/errors.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerExport } from './commands/export.js';
import { registerExportInteractions } from './commands/export-interactions.js';
import { registerExportLibfm } from './commands/export-libfm.js';
import { registerGenerate } from './commands/generate.js';
import { registerImportFactors } from './commands/import-factors.js';
import { registerIngest } from './commands/ingest.js';
import { registerKeys } from './commands/keys.js';
import { registerStart } from './commands/start.js';
import { registerRecommend, registerSimilar } from './commands/recommend.js';
import { registerPipeline } from './commands/pipeline.js';
import { registerPredict } from './commands/predict.js';
import { registerSegments } from './commands/segments.js';
import { registerServe } from './commands/serve.js';
import { registerStats } from './commands/stats.js';
import { registerTrain } from './commands/train.js';
import { registerTune } from './commands/tune.js';
import { closeHeldStores } from './common.js';
import { fsErrorMessage } from './fs-error.js';
import { handleInterrupts } from './interrupt.js';

handleInterrupts();

function fail(message: string, code: number): never {
  process.stderr.write(`nextbest: ${message}\n`);
  process.exit(code);
}

const program = new Command()
  .name('nextbest')
  .description('next-best-product and offer recommendations for banks')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ writeErr: () => {} }) // commander's own messages are reprinted by fail() below
  .showHelpAfterError(false);

registerStart(program);
registerGenerate(program);
registerIngest(program);
registerStats(program);
registerTrain(program);
registerEvaluate(program);
registerTune(program);
registerRecommend(program);
registerSimilar(program);
registerExport(program);
registerServe(program);
registerPipeline(program);
registerKeys(program);
registerPredict(program);
registerSegments(program);
registerExportLibfm(program);
registerExportInteractions(program);
registerImportFactors(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Release the store first (a writer's owner record goes with it); the error below is what the user needs.
  await closeHeldStores().catch(() => undefined);
  if (e instanceof CommanderError) {
    if (e.exitCode === 0) process.exit(0); // --help, --version
    fail(`${e.message.replace(/^error: /, '')}; see nextbest --help`, ERROR_TABLE.BAD_OPTION.exit);
  }
  if (isNextbestError(e)) fail(e.message, e.exit);
  const fsMessage = fsErrorMessage(e);
  if (fsMessage) fail(fsMessage, ERROR_TABLE.BAD_OPTION.exit);
  if (process.env.NEXTBEST_DEBUG) console.error(e);
  fail(`unexpected error: ${errorMessage(e).split('\n')[0]} (set NEXTBEST_DEBUG=1 for details)`, ERROR_TABLE.INTERNAL.exit);
}
