/** Types of gen-hub-spoke.mjs, for the tests that use it. */
export function hubAndSpoke(vnets: number, subnets?: number): string;
