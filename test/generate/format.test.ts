import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildPopulation, CATALOGUE, PLANTED, SANTANDER_HEADER, type GenerateResult } from '../../src/data/generate/index.js';
import { initialHoldings } from '../../src/data/generate/holdings.js';
import { Eligibility } from '../../src/data/model.js';
import { generateInto, removeDir, tempDir } from './fixtures.js';
import { readCsv, records, type Table } from './csv.js';

const SANTANDER_COLUMNS =
  '"fecha_dato","ncodpers","ind_empleado","pais_residencia","sexo","age","fecha_alta","ind_nuevo","antiguedad","indrel","ult_fec_cli_1t","indrel_1mes","tiprel_1mes","indresi","indext","conyuemp","canal_entrada","indfall","tipodom","cod_prov","nomprov","ind_actividad_cliente","renta","segmento","ind_ahor_fin_ult1","ind_aval_fin_ult1","ind_cco_fin_ult1","ind_cder_fin_ult1","ind_cno_fin_ult1","ind_ctju_fin_ult1","ind_ctma_fin_ult1","ind_ctop_fin_ult1","ind_ctpp_fin_ult1","ind_deco_fin_ult1","ind_deme_fin_ult1","ind_dela_fin_ult1","ind_ecue_fin_ult1","ind_fond_fin_ult1","ind_hip_fin_ult1","ind_plan_fin_ult1","ind_pres_fin_ult1","ind_reca_fin_ult1","ind_tjcr_fin_ult1","ind_valo_fin_ult1","ind_viv_fin_ult1","ind_nomina_ult1","ind_nom_pens_ult1","ind_recibo_ult1"';

const TOD_OF_HOUR = (h: number): string => (h >= 6 && h < 12 ? 'morning' : h >= 12 && h < 18 ? 'afternoon' : h >= 18 && h < 23 ? 'evening' : 'night');

describe('generated file formats', () => {
  let dir: string;
  let result: GenerateResult;
  let customers: Table, products: Table, offers: Table, events: Table, santander: Table;

  beforeAll(async () => {
    dir = tempDir();
    result = await generateInto(dir, { customers: 2000, seed: 11, months: 17, santander: true });
    customers = readCsv(result.files.customers);
    products = readCsv(result.files.products);
    offers = readCsv(result.files.offers);
    events = readCsv(result.files.events);
    santander = readCsv(result.files.santander!);
  });
  afterAll(() => removeDir(dir));

  it('writes the exact headers', () => {
    expect(customers.header).toBe('customer_id,age,income,segment,beh_segment,active_ind,life_stage');
    expect(products.header).toBe('product_id,type,description,annual_fee,min_income');
    expect(offers.header).toBe('offer_id,product_id,reward,reward_value,valid_from,valid_to,eligibility');
    expect(events.header).toBe('Idcol,interaction,int_date,item,item_type,item_descrip,segment,beh_segment,active_ind,page,tod');
    expect(santander.header).toBe(SANTANDER_COLUMNS);
    expect(SANTANDER_HEADER).toBe(SANTANDER_COLUMNS + '\n');
  });

  it('counts match the files', () => {
    expect(result.counts).toEqual({
      customers: customers.rows.length,
      products: products.rows.length,
      offers: offers.rows.length,
      events: events.rows.length,
      santanderRows: santander.rows.length,
    });
  });

  it('customers have valid ids, ages, incomes and categories', () => {
    const rows = records(customers);
    // One customer number in every file: customer_id here, Idcol in events, ncodpers in santander.csv.
    expect(rows[0].customer_id).toBe('1000001');
    expect(rows.at(-1)!.customer_id).toBe('1002000');
    const stageOf = (age: number): string => Object.entries(PLANTED.population.lifeStageMinAge).filter(([, min]) => age >= min).at(-1)![0];
    const bad = rows.filter((c) => {
      const age = Number(c.age);
      return !(
        age >= 18 &&
        age <= 90 &&
        Number(c.income) > 0 &&
        ['MASS', 'AFFLUENT', 'PRIVATE', 'YOUTH', 'SME'].includes(c.segment) &&
        ['DIGITAL', 'BRANCH', 'SAVER', 'SPENDER'].includes(c.beh_segment) &&
        ['0', '1'].includes(c.active_ind) &&
        c.life_stage === stageOf(age)
      );
    });
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('products cover every type, with quoted descriptions where needed', () => {
    expect(products.rows.length).toBeGreaterThanOrEqual(20);
    expect(products.rows.length).toBeLessThanOrEqual(30);
    expect(new Set(products.rows.map((r) => r[1]))).toEqual(new Set(['account', 'card', 'loan', 'mortgage', 'insurance', 'investment', 'savings']));
    expect(products.rows.map((r) => r[0])).toEqual(CATALOGUE.map((p) => p.id));
    expect(products.rows.some((r) => r[2].includes(','))).toBe(true);
  });

  it('offers have dates, rewards and JSON eligibility the data model accepts', () => {
    const ids = new Set(products.rows.map((r) => r[0]));
    expect(offers.rows.length).toBeGreaterThan(10);
    for (const o of records(offers)) {
      expect(ids.has(o.product_id)).toBe(true);
      expect(o.valid_from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(o.valid_to >= o.valid_from).toBe(true);
      expect(Number(o.reward_value)).toBeGreaterThan(0);
      const e = Eligibility.strict().parse(JSON.parse(o.eligibility));
      expect(e).toBeTypeOf('object');
    }
    const raw = readFileSync(result.files.offers, 'latin1');
    expect(raw).toContain('"{""');
  });

  // Row checks collect the offending rows and assert once: an expect per row would dominate the run time.
  it('events use the catalogue, consistent context and per-customer time order', () => {
    const cust = new Map(records(customers).map((c) => [c.customer_id, c]));
    const prod = new Map(products.rows.map((r) => [r[0], r]));
    const last = new Map<string, string>();
    const bad = events.rows.filter((r) => {
      const [id, interaction, date, item, type, descrip, segment, beh, active, page, tod] = r;
      const c = cust.get(id);
      const p = prod.get(item);
      const ok =
        r.length === 11 &&
        c !== undefined &&
        p !== undefined &&
        ['DISPLAY', 'CLICK', 'CHECKOUT'].includes(interaction) &&
        /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(date) &&
        date >= '2015-01-01' &&
        date <= '2016-05-31 23:59:59' &&
        type === p[1] &&
        descrip === p[2] &&
        segment === c.segment &&
        beh === c.beh_segment &&
        active === c.active_ind &&
        ['home', 'products', 'offers', 'account', 'search'].includes(page) &&
        tod === TOD_OF_HOUR(Number(date.slice(11, 13))) &&
        date >= (last.get(id) ?? '');
      last.set(id, date);
      return !ok;
    });
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('every CLICK follows a DISPLAY of the same product on the same page, and every CHECKOUT a CLICK', () => {
    const open = new Map<string, number>();
    const bad = events.rows.filter(([id, interaction, , item, , , , , , page]) => {
      const key = `${id}|${item}|${page}`;
      const state = open.get(key) ?? 0;
      if (interaction === 'DISPLAY') open.set(key, 1);
      else if (interaction === 'CLICK') open.set(key, 2);
      return (interaction === 'CLICK' && state < 1) || (interaction === 'CHECKOUT' && state !== 2);
    });
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('santander rows have 48 fields, ascending months on the 28th and the Kaggle formatting', () => {
    const months = PLANTED.window.defaultMonths;
    const flagValues = new Set(['0', '1', ' 0', ' 1', 'NA']);
    const segmentos = new Set(['01 - TOP', '02 - PARTICULARES', '03 - UNIVERSITARIO']);
    let prev = '';
    const seen = new Set<string>();
    const bad = santander.rows.filter((r) => {
      const fecha = r[0];
      const ascending = fecha >= prev;
      prev = fecha;
      seen.add(fecha);
      const demographics =
        r[4] === '' ||
        (/^[ \d]{3}$/.test(r[5]) &&
          /^ [01]$/.test(r[7]) &&
          /^[ \d]{7}$/.test(r[8]) &&
          r[9] === ' 1' &&
          r[18] === ' 1' &&
          /^ [01]$/.test(r[21]) &&
          /^(NA|\d+(\.\d{1,2})?)$/.test(r[22]) &&
          segmentos.has(r[23]));
      return !(r.length === 48 && /^\d{4}-\d{2}-28$/.test(fecha) && ascending && /^\d+$/.test(r[1]) && r.slice(24).every((f) => flagValues.has(f)) && demographics);
    });
    expect(bad.slice(0, 5)).toEqual([]);
    expect(seen.size).toBe(months);
    expect([...seen][0]).toBe('2015-01-28');
    expect([...seen].at(-1)).toBe('2016-05-28');
    // The quoted province names that hold commas come through as one field.
    expect(santander.rows.some((r) => r[20] === 'CORUNA, A' || r[20] === 'PALMAS, LAS' || r[20] === 'BALEARS, ILLES')).toBe(true);
    expect(readFileSync(result.files.santander!, 'latin1')).toMatch(/^2015-01-28,\d+,N,ES,[HV], \d\d,\d{4}-\d\d-\d\d, [01], {0,6}\d+, 1,,1\.0,[AI],S,N,,K\w\w,N, 1,\d+,"[A-Z ,]+", [01],/m);
  });

  it('santander has blank-demographics rows, NA renta and NA payroll flags, and spaced flags in later months', () => {
    const blank = santander.rows.filter((r) => r[4] === '');
    expect(blank.length / santander.rows.length).toBeGreaterThan(0.004);
    expect(blank.length / santander.rows.length).toBeLessThan(0.02);
    expect(blank.every((r) => r.slice(2, 24).every((f) => f === ''))).toBe(true);
    expect(santander.rows.some((r) => r[22] === 'NA')).toBe(true);
    expect(santander.rows.some((r) => r[45] === 'NA' && r[46] === 'NA')).toBe(true);
    expect(santander.rows.some((r) => r[47] === ' 1' || r[47] === ' 0')).toBe(true);
  });

  it('santander has fewer rows in early months as customers join', () => {
    const perMonth = new Map<string, number>();
    for (const r of santander.rows) perMonth.set(r[0], (perMonth.get(r[0]) ?? 0) + 1);
    const counts = [...perMonth.values()];
    expect(counts[0]).toBeLessThan(counts.at(-1)!);
    expect(counts.at(-1)).toBe(2000);
    for (let k = 1; k < counts.length; k++) expect(counts[k]).toBeGreaterThanOrEqual(counts[k - 1]);
  });

  it('santander.csv names the same customers, and santander-columns.csv gives each product column one catalogue product', () => {
    expect(new Set(santander.rows.map((r) => r[1]))).toEqual(new Set(customers.rows.map((r) => r[0])));
    const mapping = readCsv(result.files.santanderColumns!);
    expect(mapping.header).toBe('column,product_id');
    expect(mapping.rows.map((r) => r[0])).toEqual(santander.columns.slice(24));
    expect(mapping.rows.map((r) => r[1]).sort()).toEqual(CATALOGUE.map((p) => p.id).sort());
    // Where the Kaggle column means a catalogue product, it holds that product.
    const holds = new Map(mapping.rows.map(([column, product]) => [column, product]));
    expect([holds.get('ind_cco_fin_ult1'), holds.get('ind_tjcr_fin_ult1'), holds.get('ind_hip_fin_ult1'), holds.get('ind_ahor_fin_ult1')]).toEqual(['P01', 'P05', 'P12', 'P22']);
  });

  it("each customer's first Santander month holds the initial holdings the events start from", () => {
    const initial = initialHoldings(buildPopulation(2000, 11, 17), 11);
    const column = PLANTED.santander.products.map((p) => CATALOGUE.findIndex((c) => c.id === p.product));
    const seen = new Set<string>();
    let compared = 0;
    for (const r of santander.rows) {
      if (seen.has(r[1])) continue;
      seen.add(r[1]);
      const i = Number(r[1]) - 1_000_001;
      const held = column.filter((k, j) => r[24 + j].trim() === '1').map((k) => CATALOGUE[k].id).sort();
      // NA payroll flags (0.1 % of rows) read as not held; skip those rows.
      if (r.slice(24).some((f) => f === 'NA')) continue;
      expect(held, r[1]).toEqual(CATALOGUE.filter((_, k) => (initial[i] >>> k) & 1).map((p) => p.id).sort());
      compared++;
    }
    expect(compared).toBeGreaterThan(1990);
  });
});
