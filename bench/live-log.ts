// Live event writes: acknowledged (committed, fsynced) events per second and ack latency for
// concurrent producers that each wait for their acknowledgement, as HTTP handlers will.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.js';

export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

export interface LiveLogRun {
  total: number;
  perSecond: number;
  perCommit: number;
  p50: number;
  p99: number;
}

/** `producers` concurrent producers append to the store's live log, each waiting for its acknowledgement. */
export async function measureLiveLog(location: string, producers: number): Promise<LiveLogRun> {
  const store = await openStore(location);
  const log = store.liveLog();
  const perProducer = Math.max(20, Math.floor(20_000 / producers));
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: producers }, async (_, p) => {
      for (let k = 0; k < perProducer; k++) {
        const t = performance.now();
        await log.append({
          customerId: `C${p}`,
          productId: `P${k % 24}`,
          timestamp: new Date(1_700_000_000_000 + k * 1000),
          type: 'click',
          value: 1,
          context: { page: 'offers', tod: 'evening' },
          eventId: `b-${p}-${k}`,
        });
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const total = producers * perProducer;
  latencies.sort((a, b) => a - b);
  const perCommit = total / log.stats.batches;
  await log.close();
  await store.close();
  return { total, perSecond: total / seconds, perCommit, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

export async function benchLiveLog(): Promise<string> {
  const lines = ['| producers | events | events/s | events per commit | ack p50 ms | ack p99 ms |', '| ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const producers of [1, 10, 100, 1000]) {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-bench-live-'));
    const r = await measureLiveLog(join(dir, 'store.duckdb'), producers);
    lines.push(
      `| ${producers} | ${r.total.toLocaleString('en-US')} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ` +
        `${r.perCommit.toFixed(1)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
  return lines.join('\n');
}
