// A progress bar on stderr for work longer than a second; silent when stderr is not a terminal
// or when --json output is being read by a script.
import cliProgress from 'cli-progress';

export interface Progress {
  /** detail: a short status such as "epoch 3/15 loss 0.4121". */
  update(fraction: number, detail?: string): void;
  stop(): void;
}

export function progressBar(label: string, quiet: boolean): Progress {
  if (quiet || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const started = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(fraction, detail = '') {
      // Only draw once the work has lasted a second, so quick commands stay clean.
      if (!bar && Date.now() - started < 1000) return;
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% | {duration_formatted} {detail}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(100, 0, { detail });
      }
      bar.update(Math.round(Math.min(1, Math.max(0, fraction)) * 100), { detail });
    },
    stop() {
      bar?.stop();
    },
  };
}
