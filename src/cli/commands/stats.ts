// `nextbest stats`: a data summary of the store.
import type { Command } from 'commander';
import type { StoreStats } from '../../store/stats.js';
import { withCommon, withStore, type CommonOptions } from '../common.js';
import { formatNumber, printJson, table } from '../output.js';

export function formatStats(s: StoreStats): string {
  const out: string[] = [];
  out.push(
    table([
      ['customers', s.customers],
      ['  with events', s.customersWithEvents],
      ['  cold start (no events)', s.coldCustomers],
      ['products', s.products],
      ['offers', s.offers],
      ['events', s.events],
      ['holdings', s.holdings],
    ]),
  );
  if (s.events) {
    out.push('', `events from ${s.firstEvent} to ${s.lastEvent}`);
    out.push(table(Object.entries(s.eventsByType).map(([t, n]) => [`  ${t}`, n])));
    const p = s.eventsPerCustomer;
    out.push(`events per customer: min ${p.min}, median ${p.median}, mean ${p.mean}, max ${formatNumber(p.max)}`);
    out.push('', 'top products by events:');
    out.push(table(s.topProducts.map((t) => [`  ${t.productId}`, t.type ?? '', t.events, t.customers]), ['  product', 'type', 'events', 'customers']));
  }
  if (Object.keys(s.productTypes).length) {
    out.push('', 'product types: ' + Object.entries(s.productTypes).map(([t, n]) => `${t || '(none)'} ${n}`).join(', '));
  }
  if (s.customerAttributes.length) {
    out.push('', 'customer attributes (present / customers):');
    out.push(
      table(
        s.customerAttributes.map((a) => [
          `  ${a.name}`,
          a.numeric === a.present ? 'number' : a.numeric === 0 ? 'category' : 'mixed',
          `${((100 * a.present) / Math.max(1, s.customers)).toFixed(1)} %`,
          a.distinct,
        ]),
        ['  attribute', 'kind', 'present', 'distinct'],
      ),
    );
  }
  if (s.holdingMonths.length) {
    out.push('', 'holdings by month:');
    out.push(table(s.holdingMonths.map((m) => [`  ${m.month}`, m.customers, m.holdings]), ['  month', 'customers', 'holdings']));
  }
  return out.join('\n') + '\n';
}

export function registerStats(program: Command): void {
  withCommon(program.command('stats').description('summarise what the store holds')).action(async (opts: CommonOptions) => {
    const stats = await withStore(opts, (store) => store.stats());
    if (opts.json) printJson(stats);
    else process.stdout.write(formatStats(stats));
  });
}
