// A compact UTC timestamp for file names (20261123T183000), so reports and rejects files sort by time.
export const fileStamp = (at: Date = new Date()): string => at.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
