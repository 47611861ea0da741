// Live event writes: acknowledged (committed, fsynced) events per second and ack latency for
// concurrent producers that each wait for their acknowledgement, as HTTP handlers will.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.js';

export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

export async function benchLiveLog(): Promise<string> {
  const lines = ['| producers | events | events/s | events per commit | ack p50 ms | ack p99 ms |', '| ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const producers of [1, 10, 100, 1000]) {
    const dir = mkdtempSync(join(tmpdir(), 'nextbest-bench-live-'));
    const store = await openStore(join(dir, 'store.duckdb'));
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
          });
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const total = producers * perProducer;
    latencies.sort((a, b) => a - b);
    lines.push(
      `| ${producers} | ${total.toLocaleString('en-US')} | ${Math.round(total / seconds).toLocaleString('en-US')} | ` +
        `${(total / log.stats.batches).toFixed(1)} | ${percentile(latencies, 0.5).toFixed(2)} | ${percentile(latencies, 0.99).toFixed(2)} |`,
    );
    await log.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines.join('\n');
}
