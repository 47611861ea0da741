// Runs one ingest in its own process so its peak memory (DuckDB included) is measured alone.
// Usage: node dist/bench/ingest-child.js FORMAT INPUT STORE  -> prints one JSON line.
import { getLoader } from '../src/data/formats/index.js';
import { openStore } from '../src/store/index.js';

const [format, input, storePath] = process.argv.slice(2);
const store = await openStore(storePath);
const started = performance.now();
const report = await store.ingest(getLoader(format), input);
const seconds = (performance.now() - started) / 1000;
await store.close();
process.stdout.write(
  JSON.stringify({ rows: report.accepted + report.rejected, seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, report }) + '\n',
);
