// Prometheus metrics of a server, in the text exposition format (version 0.0.4): requests by route,
// method and status, a latency histogram per route, the events its live log acknowledged and the
// model it serves. Counted in memory from the server's start.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './context.js';

/** Latency bucket bounds in seconds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  labels: string;
  counts: number[];
  sum: number;
  count: number;
}

/** A label value with \, " and newlines escaped as the format asks. */
const label = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export class HttpMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();

  /** One answered request: its route template (e.g. /v1/customers/:customer/recommendations), or "unmatched". */
  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = `method="${method}",route="${label(route)}"`;
    const key = `${labels},status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.latency.get(labels);
    if (!h) {
      h = { labels, counts: new Array(BUCKETS.length).fill(0), sum: 0, count: 0 };
      this.latency.set(labels, h);
    }
    const b = BUCKETS.findIndex((le) => seconds <= le);
    if (b >= 0) h.counts[b]++;
    h.sum += seconds;
    h.count++;
  }

  /** The exposition text: these counters plus the server's events and active model. */
  render(ctx: ServerContext): string {
    const out: string[] = [
      '# HELP nextbest_http_requests_total HTTP requests answered, by method, route and status.',
      '# TYPE nextbest_http_requests_total counter',
    ];
    for (const [labels, n] of this.requests) out.push(`nextbest_http_requests_total{${labels}} ${n}`);
    out.push('# HELP nextbest_http_request_duration_seconds Time to answer an HTTP request, by method and route.', '# TYPE nextbest_http_request_duration_seconds histogram');
    for (const h of this.latency.values()) {
      let cumulative = 0;
      BUCKETS.forEach((le, i) => {
        cumulative += h.counts[i];
        out.push(`nextbest_http_request_duration_seconds_bucket{${h.labels},le="${le}"} ${cumulative}`);
      });
      out.push(
        `nextbest_http_request_duration_seconds_bucket{${h.labels},le="+Inf"} ${h.count}`,
        `nextbest_http_request_duration_seconds_sum{${h.labels}} ${h.sum}`,
        `nextbest_http_request_duration_seconds_count{${h.labels}} ${h.count}`,
      );
    }
    const stats = ctx.events.stats;
    out.push(
      '# HELP nextbest_events_acknowledged_total Events the live log committed durably (acknowledged to their senders).',
      '# TYPE nextbest_events_acknowledged_total counter',
      `nextbest_events_acknowledged_total ${stats.committed}`,
      '# HELP nextbest_event_batches_failed_total Live-log batches that failed (none of their events written).',
      '# TYPE nextbest_event_batches_failed_total counter',
      `nextbest_event_batches_failed_total ${stats.failedBatches}`,
      '# HELP nextbest_active_model The model the server scores with (1 for its name).',
      '# TYPE nextbest_active_model gauge',
    );
    const served = ctx.models.current;
    if (served) out.push(`nextbest_active_model{name="${label(served.name)}"} 1`);
    return `${out.join('\n')}\n`;
  }
}

/** Counts every answered request (404s as route "unmatched"). */
export function installMetrics(app: FastifyInstance, metrics: HttpMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}
