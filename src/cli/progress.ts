// A progress bar on stderr for work longer than a second; silent when stderr is not a terminal
// or when --json output is being read by a script.
import cliProgress from 'cli-progress';
import type { FitProgress } from '../models/contract.js';

export interface Progress {
  /** False when nothing will be drawn (not a terminal, or --json): work done only for the bar can be skipped. */
  readonly active: boolean;
  /** detail: a short status such as "epoch 3/15 loss 0.4121". */
  update(fraction: number, detail?: string): void;
  stop(): void;
}

/** The bar on screen, if any: an interrupt stops it (ending its line, showing the cursor again) before it prints. */
let drawn: cliProgress.SingleBar | null = null;

/** Stops the bar on screen, if any. */
export function stopProgress(): void {
  drawn?.stop();
  drawn = null;
}

export function progressBar(label: string, quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY) return { active: false, update: () => {}, stop: () => {} };
  const started = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    active: true,
    update(fraction, detail = '') {
      // Only draw once the work has lasted a second, so quick commands stay clean.
      if (!bar && Date.now() - started < 1000) return;
      const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% | {duration_formatted} {detail}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(100, percent, { detail });
        drawn = bar;
      }
      bar.update(percent, { detail });
    },
    stop() {
      bar?.stop();
      if (drawn === bar) drawn = null;
    },
  };
}

/** "epoch 3/15 loss 0.4121 2.3 s": a fit's progress as a bar's detail. */
export function fitDetail(p: FitProgress): string {
  return `epoch ${p.iteration}/${p.total}${p.loss === undefined ? '' : ` loss ${p.loss.toFixed(4)}`} ${p.elapsedSeconds.toFixed(1)} s`;
}
