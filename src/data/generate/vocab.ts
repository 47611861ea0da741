// The fixed vocabularies of the synthetic bank (segments, product types, pages, times of day),
// shared by every generator file so that indices into the compiled tables agree everywhere.

export const SEGMENTS = ['MASS', 'AFFLUENT', 'PRIVATE', 'YOUTH', 'SME'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const BEH_SEGMENTS = ['DIGITAL', 'BRANCH', 'SAVER', 'SPENDER'] as const;
export type BehSegment = (typeof BEH_SEGMENTS)[number];

export const LIFE_STAGES = ['STUDENT', 'YOUNG_ADULT', 'FAMILY', 'MATURE', 'RETIRED'] as const;
export type LifeStage = (typeof LIFE_STAGES)[number];

export const PRODUCT_TYPES = ['account', 'card', 'loan', 'mortgage', 'insurance', 'investment', 'savings'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

export const PAGES = ['home', 'products', 'offers', 'account', 'search'] as const;
export type Page = (typeof PAGES)[number];

export const TODS = ['morning', 'afternoon', 'evening', 'night'] as const;
export type Tod = (typeof TODS)[number];

export const INTERACTIONS = ['DISPLAY', 'CLICK', 'CHECKOUT'] as const;
export type Interaction = (typeof INTERACTIONS)[number];

/** The hours (0-23) that belong to each time of day; night wraps around midnight. */
export const TOD_HOURS: Readonly<Record<Tod, readonly number[]>> = {
  morning: [6, 7, 8, 9, 10, 11],
  afternoon: [12, 13, 14, 15, 16, 17],
  evening: [18, 19, 20, 21, 22],
  night: [23, 0, 1, 2, 3, 4, 5],
};

export const todOfHour = (hour: number): Tod => {
  for (const tod of TODS) if (TOD_HOURS[tod].includes(hour)) return tod;
  throw new Error(`hour out of range: ${hour}`);
};

/** Youngest age of each life stage; a customer is in the last stage whose minimum they reach. */
export const LIFE_STAGE_MIN_AGE: Readonly<Record<LifeStage, number>> = {
  STUDENT: 18,
  YOUNG_ADULT: 23,
  FAMILY: 33,
  MATURE: 50,
  RETIRED: 65,
};

export const lifeStageIndexOfAge = (age: number): number => {
  let stage = 0;
  for (let s = 0; s < LIFE_STAGES.length; s++) if (age >= LIFE_STAGE_MIN_AGE[LIFE_STAGES[s]]) stage = s;
  return stage;
};
