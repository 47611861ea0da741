// The ground truth planted in the synthetic data, as one typed constant: the generator reads its
// numbers from here, and docs/synthetic-data.md and the tests check models against the same ones.
import { CATALOGUE, type CatalogueProduct } from './catalogue.js';
import {
  LIFE_STAGE_MIN_AGE,
  type BehSegment,
  type LifeStage,
  type Page,
  type ProductType,
  type Segment,
  type Tod,
} from './vocab.js';

type TypeLifts = Readonly<Record<ProductType, number>>;
/** Twelve multipliers, January first. */
type Monthly = readonly number[];

export interface CoHoldingPair {
  readonly from: string;
  readonly to: string;
  /** Multiplier on the chance of holding / acquiring `to` while holding `from`. */
  readonly lift: number;
}

/** A product launched during the events window (`generate --launches`), modelled on a catalogue product. */
export interface LaunchedProduct {
  readonly id: string;
  readonly type: ProductType;
  readonly description: string;
  readonly annualFee: number;
  readonly minIncome: number;
  /** Launch day (YYYY-MM-DD): no event before it. */
  readonly launch: string;
  /** The catalogue product whose interest, seasonality and co-holdings it shares. */
  readonly like: string;
  /** The planted uptake: its click rate is this many times its template's. */
  readonly uptake: number;
}

/** One product column of santander.csv: the catalogue product it holds and how often it is acquired. */
export interface SantanderProduct {
  /** Column name in the Kaggle layout. */
  readonly flag: string;
  /** The catalogue product this column holds (its type, gates, boosts and co-holding pairs apply). */
  readonly product: string;
  /** Relative weight when a customer acquires a product this month. */
  readonly acquireWeight: number;
}

export interface PlantedStructure {
  readonly window: {
    /** Last day of the events window; the window is the `months` whole months ending here. */
    readonly eventsEnd: string;
    /** First Santander snapshot; one snapshot on the 28th of each following month. */
    readonly santanderStart: string;
    readonly defaultMonths: number;
  };
  readonly population: {
    readonly ageBands: readonly { readonly from: number; readonly to: number; readonly share: number }[];
    /** Customers up to this age draw their segment from `youngSegmentShares`. */
    readonly youthMaxAge: number;
    readonly youngSegmentShares: Readonly<Record<Segment, number>>;
    readonly segmentShares: Readonly<Record<Segment, number>>;
    readonly lifeStageMinAge: Readonly<Record<LifeStage, number>>;
    /** income = incomeBase[segment] * (ageFloor + (1 - ageFloor) * exp(-((age - agePeak) / ageWidth)^2)) * exp(sigma * z) */
    readonly incomeBase: Readonly<Record<Segment, number>>;
    readonly incomeSigma: Readonly<Record<Segment, number>>;
    readonly incomeAgeCurve: { readonly ageFloor: number; readonly agePeak: number; readonly ageWidth: number };
    readonly behShares: Readonly<Record<Segment, Readonly<Record<BehSegment, number>>>>;
    /** Replaces behShares for RETIRED customers. */
    readonly retiredBehShares: Readonly<Record<BehSegment, number>>;
    readonly activeShare: Readonly<Record<BehSegment, number>>;
    /** Customers with a row in customers.csv and no events at all. */
    readonly coldStartShare: number;
    /** Customers who join after the first month (uniformly in months 2..months). */
    readonly lateJoinShare: number;
  };
  /** Interest of a customer in a product = segment lift * life-stage lift * behaviour lift (by product type) * product segment boost. */
  readonly preference: {
    readonly segment: Readonly<Record<Segment, TypeLifts>>;
    readonly lifeStage: Readonly<Record<LifeStage, TypeLifts>>;
    readonly behaviour: Readonly<Record<BehSegment, TypeLifts>>;
    /** Multiplier when the customer is under min_income or over the product's maxAge. */
    readonly gateFactor: number;
  };
  readonly catalogue: readonly CatalogueProduct[];
  /** Products held together, in the initial holdings, the checkouts and the Santander acquisitions. */
  readonly coHolding: readonly CoHoldingPair[];
  readonly context: {
    /** Click-rate multiplier by time of day and page. */
    readonly clickLift: Readonly<Record<Tod, Readonly<Record<Page, number>>>>;
    /** Checkout-rate multiplier by page (the checkout happens on the page of the click). */
    readonly checkoutPageLift: Readonly<Record<Page, number>>;
  };
  /** Multiplier on click, checkout and Santander acquisition by product type and calendar month. */
  readonly seasonality: Readonly<Record<ProductType, Monthly>>;
  readonly activity: {
    /** Mean DISPLAY events per month for an active customer (behaviour volume 1). */
    readonly displaysPerMonthActive: number;
    /** Active customers have this many times the events of inactive ones. */
    readonly activeToInactiveRatio: number;
    readonly behVolume: Readonly<Record<BehSegment, number>>;
    /** Log-normal spread of the per-customer volume. */
    readonly volumeSigma: number;
    readonly todShares: Readonly<Record<BehSegment, Readonly<Record<Tod, number>>>>;
    readonly pageShares: Readonly<Record<BehSegment, Readonly<Record<Page, number>>>>;
  };
  readonly funnel: {
    /** Share of displays chosen by the customer's interest; the rest are uniform over the catalogue. */
    readonly displayPreferenceShare: number;
    readonly clickBase: number;
    readonly checkoutBase: number;
    /** Multipliers when the product is already held (checkout of a held product is rare). */
    readonly heldClickFactor: number;
    readonly heldCheckoutFactor: number;
    readonly maxProbability: number;
    readonly clickDelaySeconds: readonly [number, number];
    readonly checkoutDelaySeconds: readonly [number, number];
  };
  /** Products launched during the window (only with `generate --launches`; Santander columns never hold them). */
  readonly launches: {
    readonly products: readonly LaunchedProduct[];
    /** Chance that a display after a launch is followed by a display of one launched product (uniform over those launched). */
    readonly displayShare: number;
  };
  readonly santander: {
    /**
     * In file column order (bit i of the holdings mask = column 25 + i), one column per catalogue
     * product: a column whose Kaggle meaning matches a catalogue product holds it, the other columns
     * hold the other products, both in their order.
     */
    readonly products: readonly SantanderProduct[];
    readonly segmento: Readonly<Record<Segment, string>>;
    /** Monthly chance that a customer acquires one product, times activeFactor and monthFactor. */
    readonly acquireRate: number;
    readonly dropRate: number;
    readonly activeAcquireFactor: { readonly active: number; readonly inactive: number };
    readonly activeDropFactor: { readonly active: number; readonly inactive: number };
    readonly monthFactor: Monthly;
    readonly blankRowShare: number;
    readonly rentaNaShare: number;
    readonly payrollNaShare: number;
    readonly foreignShare: number;
    readonly newCustomerShare: number;
    /** From this month index on, ind_nomina/nom_pens/recibo are written ' 0'/' 1' and indrel_1mes '1' instead of '1.0'. */
    readonly formatChangeMonth: number;
  };
}

const lifts = (account: number, card: number, loan: number, mortgage: number, insurance: number, investment: number, savings: number): TypeLifts => ({
  account,
  card,
  loan,
  mortgage,
  insurance,
  investment,
  savings,
});

export const PLANTED: PlantedStructure = {
  window: { eventsEnd: '2016-05-31', santanderStart: '2015-01-28', defaultMonths: 17 },
  population: {
    ageBands: [
      { from: 18, to: 24, share: 0.12 },
      { from: 25, to: 34, share: 0.18 },
      { from: 35, to: 49, share: 0.28 },
      { from: 50, to: 64, share: 0.24 },
      { from: 65, to: 90, share: 0.18 },
    ],
    youthMaxAge: 25,
    youngSegmentShares: { MASS: 0.3, AFFLUENT: 0.05, PRIVATE: 0.02, YOUTH: 0.6, SME: 0.03 },
    segmentShares: { MASS: 0.58, AFFLUENT: 0.2, PRIVATE: 0.06, YOUTH: 0, SME: 0.16 },
    lifeStageMinAge: LIFE_STAGE_MIN_AGE,
    incomeBase: { MASS: 30000, AFFLUENT: 80000, PRIVATE: 230000, YOUTH: 16000, SME: 65000 },
    incomeSigma: { MASS: 0.45, AFFLUENT: 0.35, PRIVATE: 0.5, YOUTH: 0.4, SME: 0.6 },
    incomeAgeCurve: { ageFloor: 0.6, agePeak: 50, ageWidth: 18 },
    behShares: {
      MASS: { DIGITAL: 0.3, BRANCH: 0.25, SAVER: 0.15, SPENDER: 0.3 },
      AFFLUENT: { DIGITAL: 0.35, BRANCH: 0.15, SAVER: 0.4, SPENDER: 0.1 },
      PRIVATE: { DIGITAL: 0.3, BRANCH: 0.2, SAVER: 0.45, SPENDER: 0.05 },
      YOUTH: { DIGITAL: 0.6, BRANCH: 0.05, SAVER: 0.05, SPENDER: 0.3 },
      SME: { DIGITAL: 0.4, BRANCH: 0.3, SAVER: 0.1, SPENDER: 0.2 },
    },
    retiredBehShares: { DIGITAL: 0.1, BRANCH: 0.5, SAVER: 0.35, SPENDER: 0.05 },
    activeShare: { DIGITAL: 0.75, BRANCH: 0.35, SAVER: 0.45, SPENDER: 0.6 },
    coldStartShare: 0.07,
    lateJoinShare: 0.2,
  },
  preference: {
    //                 account card loan mortgage insurance investment savings
    segment: {
      MASS: lifts(1.2, 1.3, 1.3, 1.0, 1.0, 0.5, 0.9),
      AFFLUENT: lifts(0.8, 1.0, 0.7, 1.3, 1.3, 2.2, 1.4),
      PRIVATE: lifts(0.7, 0.8, 0.4, 0.9, 1.1, 3.0, 1.2),
      YOUTH: lifts(2.2, 2.2, 0.6, 0.2, 0.4, 0.4, 0.7),
      SME: lifts(1.6, 1.1, 2.2, 0.6, 1.3, 0.5, 0.6),
    },
    lifeStage: {
      STUDENT: lifts(1.8, 1.5, 0.6, 0.2, 0.5, 0.5, 0.8),
      YOUNG_ADULT: lifts(1.2, 1.4, 1.4, 1.0, 0.8, 0.7, 0.9),
      FAMILY: lifts(0.9, 1.0, 1.0, 2.5, 2.2, 0.9, 1.0),
      MATURE: lifts(0.9, 0.9, 0.9, 0.8, 1.3, 1.5, 1.4),
      RETIRED: lifts(0.9, 0.6, 0.4, 0.2, 1.0, 2.0, 2.4),
    },
    behaviour: {
      DIGITAL: lifts(1.0, 1.2, 1.0, 1.0, 1.0, 1.1, 1.0),
      BRANCH: lifts(1.0, 0.8, 1.0, 1.2, 1.1, 1.0, 1.2),
      SAVER: lifts(1.0, 0.7, 0.6, 1.0, 1.0, 1.4, 1.6),
      SPENDER: lifts(1.0, 1.6, 1.5, 1.0, 1.0, 0.7, 0.6),
    },
    gateFactor: 0.1,
  },
  catalogue: CATALOGUE,
  coHolding: [
    { from: 'P01', to: 'P05', lift: 2.0 },
    { from: 'P03', to: 'P06', lift: 2.5 },
    { from: 'P03', to: 'P07', lift: 3.0 },
    { from: 'P04', to: 'P11', lift: 3.0 },
    { from: 'P10', to: 'P17', lift: 3.0 },
    { from: 'P12', to: 'P14', lift: 3.0 },
    { from: 'P13', to: 'P14', lift: 3.0 },
    { from: 'P12', to: 'P15', lift: 2.0 },
    { from: 'P18', to: 'P21', lift: 2.0 },
    { from: 'P22', to: 'P23', lift: 1.8 },
  ],
  context: {
    clickLift: {
      morning: { home: 0.8, products: 1.0, offers: 1.2, account: 0.8, search: 1.1 },
      afternoon: { home: 0.8, products: 1.0, offers: 1.2, account: 0.8, search: 1.1 },
      evening: { home: 1.0, products: 1.3, offers: 2.0, account: 1.0, search: 1.4 },
      night: { home: 0.5, products: 0.5, offers: 0.5, account: 0.5, search: 0.5 },
    },
    checkoutPageLift: { home: 0.6, products: 1.0, offers: 1.2, account: 2.0, search: 0.8 },
  },
  seasonality: {
    //          Jan  Feb  Mar  Apr  May  Jun  Jul  Aug  Sep  Oct  Nov  Dec
    account: [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 1.4, 1.2, 1.0, 1.0],
    card: [0.9, 0.8, 0.9, 0.9, 0.9, 0.9, 1.0, 1.0, 1.0, 1.1, 1.6, 1.8],
    loan: [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 0.9, 1.0, 1.1, 1.6, 1.8],
    mortgage: [0.9, 0.9, 1.1, 1.2, 1.2, 1.2, 1.0, 0.8, 1.0, 1.0, 0.9, 0.8],
    insurance: [0.9, 1.0, 1.5, 1.6, 1.5, 1.1, 0.9, 0.8, 0.9, 0.9, 0.9, 0.9],
    investment: [1.8, 1.4, 1.1, 1.0, 0.9, 0.9, 0.8, 0.8, 0.9, 1.0, 0.9, 0.9],
    savings: [1.2, 1.1, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 1.0, 1.0, 0.9, 0.8],
  },
  activity: {
    displaysPerMonthActive: 1.5,
    activeToInactiveRatio: 3.5,
    behVolume: { DIGITAL: 1.5, BRANCH: 0.5, SAVER: 0.8, SPENDER: 1.1 },
    volumeSigma: 0.4,
    todShares: {
      DIGITAL: { morning: 0.2, afternoon: 0.25, evening: 0.35, night: 0.2 },
      BRANCH: { morning: 0.45, afternoon: 0.4, evening: 0.12, night: 0.03 },
      SAVER: { morning: 0.3, afternoon: 0.35, evening: 0.28, night: 0.07 },
      SPENDER: { morning: 0.2, afternoon: 0.3, evening: 0.35, night: 0.15 },
    },
    pageShares: {
      DIGITAL: { home: 0.15, products: 0.2, offers: 0.25, account: 0.15, search: 0.25 },
      BRANCH: { home: 0.3, products: 0.2, offers: 0.1, account: 0.35, search: 0.05 },
      SAVER: { home: 0.2, products: 0.25, offers: 0.15, account: 0.3, search: 0.1 },
      SPENDER: { home: 0.15, products: 0.25, offers: 0.35, account: 0.1, search: 0.15 },
    },
  },
  funnel: {
    displayPreferenceShare: 0.6,
    clickBase: 0.045,
    checkoutBase: 0.12,
    heldClickFactor: 0.5,
    heldCheckoutFactor: 0.05,
    maxProbability: 0.95,
    clickDelaySeconds: [5, 300],
    checkoutDelaySeconds: [30, 1800],
  },
  launches: {
    products: [
      { id: 'P25', type: 'savings', description: 'Green savings bond', annualFee: 0, minIncome: 0, launch: '2016-03-07', like: 'P23', uptake: 2 },
      { id: 'P26', type: 'investment', description: 'Sustainable (ESG) index fund', annualFee: 0, minIncome: 0, launch: '2016-04-18', like: 'P18', uptake: 2.5 },
      { id: 'P27', type: 'card', description: 'Cashback debit card', annualFee: 0, minIncome: 0, launch: '2016-05-02', like: 'P05', uptake: 3 },
    ],
    displayShare: 0.3,
  },
  santander: {
    products: [
      { flag: 'ind_ahor_fin_ult1', product: 'P22', acquireWeight: 0.06 },
      { flag: 'ind_aval_fin_ult1', product: 'P11', acquireWeight: 0.005 },
      { flag: 'ind_cco_fin_ult1', product: 'P01', acquireWeight: 0.1 },
      { flag: 'ind_cder_fin_ult1', product: 'P19', acquireWeight: 0.002 },
      { flag: 'ind_cno_fin_ult1', product: 'P04', acquireWeight: 0.01 },
      { flag: 'ind_ctju_fin_ult1', product: 'P02', acquireWeight: 0.01 },
      { flag: 'ind_ctma_fin_ult1', product: 'P06', acquireWeight: 0.03 },
      { flag: 'ind_ctop_fin_ult1', product: 'P07', acquireWeight: 0.01 },
      { flag: 'ind_ctpp_fin_ult1', product: 'P03', acquireWeight: 0.01 },
      { flag: 'ind_deco_fin_ult1', product: 'P23', acquireWeight: 0.04 },
      { flag: 'ind_deme_fin_ult1', product: 'P08', acquireWeight: 0.01 },
      { flag: 'ind_dela_fin_ult1', product: 'P24', acquireWeight: 0.03 },
      { flag: 'ind_ecue_fin_ult1', product: 'P10', acquireWeight: 0.03 },
      { flag: 'ind_fond_fin_ult1', product: 'P18', acquireWeight: 0.03 },
      { flag: 'ind_hip_fin_ult1', product: 'P12', acquireWeight: 0.01 },
      { flag: 'ind_plan_fin_ult1', product: 'P20', acquireWeight: 0.02 },
      { flag: 'ind_pres_fin_ult1', product: 'P09', acquireWeight: 0.04 },
      { flag: 'ind_reca_fin_ult1', product: 'P13', acquireWeight: 0.005 },
      { flag: 'ind_tjcr_fin_ult1', product: 'P05', acquireWeight: 0.15 },
      { flag: 'ind_valo_fin_ult1', product: 'P21', acquireWeight: 0.02 },
      { flag: 'ind_viv_fin_ult1', product: 'P14', acquireWeight: 0.04 },
      { flag: 'ind_nomina_ult1', product: 'P15', acquireWeight: 0.03 },
      { flag: 'ind_nom_pens_ult1', product: 'P16', acquireWeight: 0.05 },
      { flag: 'ind_recibo_ult1', product: 'P17', acquireWeight: 0.04 },
    ],
    segmento: {
      MASS: '02 - PARTICULARES',
      AFFLUENT: '01 - TOP',
      PRIVATE: '01 - TOP',
      YOUTH: '03 - UNIVERSITARIO',
      SME: '02 - PARTICULARES',
    },
    acquireRate: 0.034,
    dropRate: 0.01,
    activeAcquireFactor: { active: 1.3, inactive: 0.6 },
    activeDropFactor: { active: 0.8, inactive: 1.4 },
    //          Jan   Feb  Mar  Apr  May  Jun   Jul  Aug   Sep  Oct  Nov   Dec
    monthFactor: [1.15, 1.0, 1.0, 1.0, 1.0, 0.95, 0.9, 0.75, 1.0, 1.0, 1.05, 1.2],
    blankRowShare: 0.01,
    rentaNaShare: 0.15,
    payrollNaShare: 0.001,
    foreignShare: 0.005,
    newCustomerShare: 0.05,
    formatChangeMonth: 6,
  },
};
