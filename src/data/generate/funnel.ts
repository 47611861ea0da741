// events.csv: DISPLAY -> CLICK -> CHECKOUT funnels per customer, with chances from the planted
// interest, page/time-of-day context, seasonality and holdings, written in time order per customer.
import { CATALOGUE } from './catalogue.js';
import { PLANTED } from './planted.js';
import { CatalogueInterest, compileSeason, PairLifts } from './affinity.js';
import { DayTable, dayOfMonthNumber, epochDay, hmsStrings } from './calendar.js';
import { customerNumber, WINDOW_END_MONTH, type Population } from './customers.js';
import { csvField } from '../csv-field.js';
import { ascii, ByteChunk, Pieces, type ChunkedFileWriter } from './csv-writer.js';
import { streamRng, STREAMS } from './seeds.js';
import { LAUNCH_BASE, launchedDisplay, launchSchedule } from './launches.js';
import type { Rng } from '../../core/rng.js';
import { BEH_SEGMENTS, INTERACTIONS, PAGES, SEGMENTS, TOD_HOURS, TODS, todOfHour } from './vocab.js';

export const EVENTS_HEADER = 'Idcol,interaction,int_date,item,item_type,item_descrip,segment,beh_segment,active_ind,page,tod\n';

const DISPLAY = 0;
const CLICK = 1;
const CHECKOUT = 2;

export interface EventsWindow {
  readonly firstMonth: number;
  readonly firstDay: number;
  readonly lastDay: number;
}

/** The `months` whole months ending on PLANTED.window.eventsEnd (2016-05-31). */
export const eventsWindow = (months: number): EventsWindow => {
  const firstMonth = WINDOW_END_MONTH - months + 1;
  return { firstMonth, firstDay: dayOfMonthNumber(firstMonth), lastDay: epochDay(2016, 5, 31) };
};

const cumulative = (weights: readonly number[]): Float64Array => {
  const c = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => (c[i] = s += w));
  return c;
};

const pickCumulative = (cum: Float64Array, u: number): number => {
  const x = u * cum[cum.length - 1];
  for (let i = 0; i < cum.length - 1; i++) if (x < cum[i]) return i;
  return cum.length - 1;
};

/**
 * Writes every customer's events, starting from their initial holdings (bit j = CATALOGUE[j]), with the
 * launched products' events when `withLaunches` (PLANTED.launches); returns the number of event rows (header excluded).
 */
export const writeEventsCsv = async (
  w: ChunkedFileWriter,
  pop: Population,
  seed: number,
  initial: Int32Array,
  onCustomers: (done: number) => void,
  withLaunches = false,
): Promise<number> => {
  const rng = streamRng(seed, STREAMS.events);
  const launchRng = streamRng(seed, STREAMS.launches);
  const F = PLANTED.funnel;
  const A = PLANTED.activity;
  const nP = CATALOGUE.length;
  const types = CATALOGUE.map((p) => p.type);
  const interest = new CatalogueInterest();
  const season = compileSeason(types);
  const pairs = new PairLifts(
    CATALOGUE.map((p) => p.id),
    PLANTED.coHolding,
  );
  const clickCtx = Float64Array.from(TODS.flatMap((t) => PAGES.map((p) => PLANTED.context.clickLift[t][p])));
  const checkoutPage = Float64Array.from(PAGES, (p) => PLANTED.context.checkoutPageLift[p]);
  const todCum = BEH_SEGMENTS.map((b) => cumulative(TODS.map((t) => A.todShares[b][t])));
  const pageCum = BEH_SEGMENTS.map((b) => cumulative(PAGES.map((p) => A.pageShares[b][p])));
  const todHours = TODS.map((t) => TOD_HOURS[t]);
  const todOf = Uint8Array.from({ length: 24 }, (_, h) => TODS.indexOf(todOfHour(h)));
  // Seconds from the start of each hour to the end of its time of day (night runs on past midnight).
  const todEnd = Int32Array.from({ length: 24 }, (_, h) => {
    let n = 1;
    while (todOf[(h + n) % 24] === todOf[h] && n < 24) n++;
    return n * 3600;
  });
  const behVolume = BEH_SEGMENTS.map((b) => A.behVolume[b]);

  const win = eventsWindow(pop.months);
  const days = new DayTable(win.firstDay, win.lastDay);
  const calMonth = Uint8Array.from(days.month, (m) => m % 12);
  const joinDayOffset = Int32Array.from({ length: pop.months }, (_, k) => dayOfMonthNumber(win.firstMonth + k) - win.firstDay);
  const nDaysWindow = win.lastDay - win.firstDay + 1;
  const lastSecond = nDaysWindow * 86_400 - 1;
  // Rows are assembled from prebuilt byte pieces, as in santander.ts: no strings per row.
  const dateTimes = Pieces.of([...days.strings.map((d) => `,${d} `), ...hmsStrings().map((t) => `${t},`)]);
  const timeOffset = days.strings.length;
  const interactions = Pieces.of(INTERACTIONS.map((k) => `,${k}`));
  const launches = withLaunches ? launchSchedule(win.firstDay) : null;
  const keysPerDisplay = launches ? 6 : 3;
  const productPart = Pieces.of([...CATALOGUE, ...PLANTED.launches.products].map((p) => `${p.id},${p.type},${csvField(p.description)},`));
  const pageTod = Pieces.of(PAGES.flatMap((p) => TODS.map((t) => `${p},${t}\n`)));
  const custTails = Pieces.of(SEGMENTS.flatMap((s) => BEH_SEGMENTS.flatMap((b) => [`${s},${b},0,`, `${s},${b},1,`])));
  const sigma = A.volumeSigma;
  const [clickMin, clickMax] = F.clickDelaySeconds;
  const [checkoutMin, checkoutMax] = F.checkoutDelaySeconds;

  const pref = new Float64Array(nP);
  const prefCum = new Float64Array(nP);
  let times = new Float64Array(1024);
  let keys = new Float64Array(4096);
  let rows = 0;
  const out = new ByteChunk();
  out.buf.set(ascii(EVENTS_HEADER));
  out.pos = EVENTS_HEADER.length;

  let held = 0;
  let ne = 0;
  /** The funnel after a display of product j at time t: its template `like` sets the chances, times `uptake` for the click. */
  const funnel = (j: number, like: number, uptake: number, t: number, page: number, r: Rng): void => {
    keys[ne++] = t * 1024 + ((DISPLAY * 32 + j) << 3) + page;
    const day = (t / 86_400) | 0;
    const sod = t - day * 86_400;
    const tod = todOf[(sod / 3600) | 0];
    const s = season[like * 12 + calMonth[day]];
    const isHeld = (held >>> j) & 1;
    const pClick = Math.min(F.maxProbability, F.clickBase * uptake * pref[like] * clickCtx[tod * 5 + page] * s * (isHeld ? F.heldClickFactor : 1));
    if (r.next() >= pClick) return;
    // A funnel stays inside the display's time of day, so CLICK and CHECKOUT rows share its context.
    const todLeft = todEnd[(sod / 3600) | 0] - (sod % 3600) - 1;
    const tc = t + Math.min(todLeft, clickMin + r.int(clickMax - clickMin + 1));
    if (tc > lastSecond) return;
    keys[ne++] = tc * 1024 + ((CLICK * 32 + j) << 3) + page;
    const lift = isHeld ? F.heldCheckoutFactor : pairs.liftFor(like, held);
    const pCheckout = Math.min(F.maxProbability, F.checkoutBase * pref[like] * checkoutPage[page] * s * lift);
    if (r.next() >= pCheckout) return;
    const tk = tc + Math.min(todLeft - (tc - t), checkoutMin + r.int(checkoutMax - checkoutMin + 1));
    if (tk > lastSecond) return;
    keys[ne++] = tk * 1024 + ((CHECKOUT * 32 + j) << 3) + page;
    held |= 1 << j;
  };

  for (let i = 0; i < pop.size; i++) {
    if (pop.coldStart[i]) continue;
    interest.of(pop, i, pop.age[i], pref);
    let total = 0;
    for (let j = 0; j < nP; j++) prefCum[j] = total += pref[j];
    held = initial[i];

    const beh = pop.beh[i];
    const join = pop.joinMonth[i];
    const dayFrom = joinDayOffset[join];
    const nDays = nDaysWindow - dayFrom;
    const volume = (pop.active[i] ? 1 : 1 / A.activeToInactiveRatio) * behVolume[beh];
    const lambda = A.displaysPerMonthActive * (pop.months - join) * volume;
    let n = Math.floor(lambda * Math.exp(sigma * rng.normal() - (sigma * sigma) / 2) + rng.next());
    if (n < 1) n = 1;
    if (n > times.length) times = new Float64Array(2 ** Math.ceil(Math.log2(n)));
    if (keysPerDisplay * n > keys.length) keys = new Float64Array(2 ** Math.ceil(Math.log2(keysPerDisplay * n)));

    for (let k = 0; k < n; k++) {
      const day = dayFrom + rng.int(nDays);
      const hours = todHours[pickCumulative(todCum[beh], rng.next())];
      times[k] = day * 86_400 + hours[rng.int(hours.length)] * 3600 + rng.int(3600);
    }
    const sorted = times.subarray(0, n).sort();

    // Each event is one exactly representable double, time * 1024 + (kind, product, page) bits, so one
    // native sort puts the customer's events in time order with DISPLAY before CLICK before CHECKOUT.
    ne = 0;
    for (let k = 0; k < n; k++) {
      const t = sorted[k];
      const page = pickCumulative(pageCum[beh], rng.next());
      const j = rng.next() < F.displayPreferenceShare ? pickCumulative(prefCum, rng.next()) : rng.int(nP);
      funnel(j, j, 1, t, page, rng);
      const l = launches ? launchedDisplay(launches, t, launchRng) : -1;
      if (l >= 0) funnel(LAUNCH_BASE + l, launches!.like[l], launches!.uptake[l], t, page, launchRng);
    }
    const ev = keys.subarray(0, ne).sort();

    const tail = (pop.segment[i] * BEH_SEGMENTS.length + beh) * 2 + pop.active[i];
    for (let k = 0; k < ne; k++) {
      const key = ev[k];
      const t = Math.floor(key / 1024);
      const low = key - t * 1024;
      const page = low & 7;
      const j = (low >> 3) & 31;
      const kind = low >> 8;
      const day = (t / 86_400) | 0;
      const sod = t - day * 86_400;
      out.int(customerNumber(i));
      out.piece(interactions, kind);
      out.piece(dateTimes, day);
      out.piece(dateTimes, timeOffset + sod);
      out.piece(productPart, j);
      out.piece(custTails, tail);
      out.piece(pageTod, page * 4 + todOf[(sod / 3600) | 0]);
      // Checked per row: one customer over many months can outgrow the chunk's slack.
      if (out.full) {
        await w.flush(out);
        onCustomers(i);
      }
    }
    rows += ne;
  }
  await w.flush(out);
  onCustomers(pop.size);
  return rows;
};
