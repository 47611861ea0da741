// The bank's product catalogue (products.csv) with the per-product numbers of the planted
// structure: how common each product is as an initial holding and which segments it is made for.
import { csvLine } from './csv-writer.js';
import type { ProductType, Segment } from './vocab.js';

export interface CatalogueProduct {
  readonly id: string;
  readonly type: ProductType;
  readonly description: string;
  /** EUR per year. */
  readonly annualFee: number;
  /** EUR per year; customers below it get the gate factor on holding, click and checkout. */
  readonly minIncome: number;
  /** Customers above this age get the gate factor too (products for the young). */
  readonly maxAge?: number;
  /** Probability of holding it at the start, before the preference and co-holding lifts. */
  readonly initialRate: number;
  /** Extra multiplier on interest for these segments (absent segments: 1). */
  readonly segmentBoost?: Readonly<Partial<Record<Segment, number>>>;
}

/** Business products are for SME customers: strong boost for them, a damper for everyone else. */
const SME_ONLY = { SME: 3, MASS: 0.3, AFFLUENT: 0.3, PRIVATE: 0.3, YOUTH: 0.2 } as const;

export const CATALOGUE: readonly CatalogueProduct[] = [
  { id: 'P01', type: 'account', description: 'Everyday current account', annualFee: 0, minIncome: 0, initialRate: 0.55 },
  { id: 'P02', type: 'account', description: 'Student account', annualFee: 0, minIncome: 0, maxAge: 28, initialRate: 0.04, segmentBoost: { YOUTH: 2.5 } },
  { id: 'P03', type: 'account', description: 'Premium current account, concierge included', annualFee: 180, minIncome: 60000, initialRate: 0.03, segmentBoost: { PRIVATE: 2.5, AFFLUENT: 1.5 } },
  { id: 'P04', type: 'account', description: 'Business current account', annualFee: 96, minIncome: 0, initialRate: 0.02, segmentBoost: SME_ONLY },
  { id: 'P05', type: 'card', description: 'Classic credit card', annualFee: 0, minIncome: 12000, initialRate: 0.18 },
  { id: 'P06', type: 'card', description: 'Gold credit card', annualFee: 60, minIncome: 35000, initialRate: 0.05, segmentBoost: { AFFLUENT: 2 } },
  { id: 'P07', type: 'card', description: 'Platinum credit card', annualFee: 250, minIncome: 90000, initialRate: 0.02, segmentBoost: { PRIVATE: 2.5 } },
  { id: 'P08', type: 'card', description: 'Prepaid youth card', annualFee: 0, minIncome: 0, maxAge: 28, initialRate: 0.03, segmentBoost: { YOUTH: 2.5 } },
  { id: 'P09', type: 'loan', description: 'Personal loan', annualFee: 0, minIncome: 15000, initialRate: 0.06 },
  { id: 'P10', type: 'loan', description: 'Car loan', annualFee: 0, minIncome: 18000, initialRate: 0.04 },
  { id: 'P11', type: 'loan', description: 'Business credit line', annualFee: 0, minIncome: 0, initialRate: 0.02, segmentBoost: SME_ONLY },
  { id: 'P12', type: 'mortgage', description: 'Fixed-rate mortgage', annualFee: 0, minIncome: 20000, initialRate: 0.08 },
  { id: 'P13', type: 'mortgage', description: 'Variable-rate mortgage', annualFee: 0, minIncome: 20000, initialRate: 0.05 },
  { id: 'P14', type: 'insurance', description: 'Home insurance', annualFee: 180, minIncome: 0, initialRate: 0.1 },
  { id: 'P15', type: 'insurance', description: 'Life insurance', annualFee: 240, minIncome: 0, initialRate: 0.07 },
  { id: 'P16', type: 'insurance', description: 'Travel insurance', annualFee: 45, minIncome: 0, initialRate: 0.04 },
  { id: 'P17', type: 'insurance', description: 'Car insurance', annualFee: 320, minIncome: 0, initialRate: 0.06 },
  { id: 'P18', type: 'investment', description: 'Index fund', annualFee: 0, minIncome: 0, initialRate: 0.04 },
  { id: 'P19', type: 'investment', description: 'Discretionary managed portfolio', annualFee: 1500, minIncome: 100000, initialRate: 0.01, segmentBoost: { PRIVATE: 2.5, AFFLUENT: 1.3 } },
  { id: 'P20', type: 'investment', description: 'Personal pension plan', annualFee: 0, minIncome: 0, initialRate: 0.05 },
  { id: 'P21', type: 'investment', description: 'Brokerage account', annualFee: 60, minIncome: 0, initialRate: 0.03 },
  { id: 'P22', type: 'savings', description: 'Instant-access savings', annualFee: 0, minIncome: 0, initialRate: 0.25 },
  { id: 'P23', type: 'savings', description: 'Fixed-term deposit, 12 months', annualFee: 0, minIncome: 0, initialRate: 0.06 },
  { id: 'P24', type: 'savings', description: 'Regular saver, 24 months', annualFee: 0, minIncome: 0, initialRate: 0.05 },
];

export const catalogueIndex = (id: string): number => {
  const i = CATALOGUE.findIndex((p) => p.id === id);
  if (i < 0) throw new Error(`unknown catalogue product ${id}`);
  return i;
};

export const PRODUCTS_HEADER = 'product_id,type,description,annual_fee,min_income\n';

type ProductRow = Pick<CatalogueProduct, 'id' | 'type' | 'description' | 'annualFee' | 'minIncome'>;

/** products.csv of these products. */
export const productsCsvOf = (products: readonly ProductRow[]): string =>
  PRODUCTS_HEADER + products.map((p) => csvLine([p.id, p.type, p.description, p.annualFee, p.minIncome])).join('');

export const productsCsv = (): string => productsCsvOf(CATALOGUE);
