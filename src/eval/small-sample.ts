// Evaluations on few customers: a bootstrap interval, a paired test or a metric over a handful of
// customers is noise (a single customer gives a zero-width interval), so such reports carry a warning.

export const MIN_CUSTOMERS = 30;

/** The warning for an evaluation over `customers` of the test or validation set, or undefined from MIN_CUSTOMERS up. */
export function smallSampleWarning(customers: number, set: 'test' | 'validation', unreliable: string): string | undefined {
  if (customers >= MIN_CUSTOMERS) return undefined;
  return `only ${customers} customers in the ${set} set; ${unreliable} unreliable below ${MIN_CUSTOMERS}`;
}

/** Distinct customers among a log's events (customer indices). */
export function distinctCustomers(customer: Int32Array): number {
  return new Set(customer).size;
}
