import type { Quantity } from './kubernetes.js';

const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

// sign, digits with an optional fraction, then a binary suffix, a decimal exponent or a decimal suffix.
const grammar = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE]?)$/;

/** Thrown for a string that is not a Kubernetes quantity. */
export class QuantityError extends Error {}

/**
 * Parses a Kubernetes quantity into the solver's canonical integer unit, rounding up as
 * Kubernetes does: millicores for `cpu`, whole units (bytes, pods, GPUs) for everything else.
 *
 * @example
 * parseQuantity('500m', 'cpu')    // 500
 * parseQuantity('1.5', 'cpu')     // 1500
 * parseQuantity('1Gi', 'memory')  // 1073741824
 * parseQuantity('1e3', 'memory')  // 1000
 */
export function parseQuantity(quantity: Quantity, resource: string): number {
  const milli = resource === 'cpu';
  if (typeof quantity === 'number') {
    if (!Number.isFinite(quantity)) throw new QuantityError(`${quantity} is not a quantity`);
    return Math.ceil(milli ? quantity * 1000 : quantity);
  }
  const match = grammar.exec(quantity.trim());
  if (!match) {
    throw new QuantityError(`"${quantity}" is not a quantity (examples: 500m, 2, 1.5Gi, 512Mi, 1e3)`);
  }
  const [, sign, number, suffix] = match;
  const [whole, fraction = ''] = number.split('.');
  // value = digits × 10^exp10 × 2^exp2, kept exact with BigInt.
  let digits = BigInt((whole || '0') + fraction);
  let exp10 = -fraction.length + (milli ? 3 : 0);
  let exp2 = 0;
  if (suffix in binarySuffixes) exp2 = binarySuffixes[suffix];
  else if (suffix.length > 1) exp10 += Number(suffix.slice(1)); // an exponent: e3, E-2
  else exp10 += decimalSuffixes[suffix];
  if (exp10 > 30) throw new QuantityError(`"${quantity}" is too large`);
  const fast = exactNumber(whole + fraction, exp10, exp2);
  if (fast !== undefined) return sign === '-' ? -fast : fast;
  digits *= 2n ** BigInt(exp2);
  let value: bigint;
  if (exp10 >= 0) value = digits * 10n ** BigInt(exp10);
  else {
    const divisor = 10n ** BigInt(-exp10);
    value = (digits + divisor - 1n) / divisor; // ceiling for non-negative values
  }
  const result = Number(value);
  return sign === '-' ? -result : result;
}

/** ceil(digits × 10^exp10 × 2^exp2) with plain numbers, when every step is exact; else undefined. */
function exactNumber(digitString: string, exp10: number, exp2: number): number | undefined {
  if (digitString.length > 15) return undefined;
  const n = Number(digitString) * 2 ** exp2;
  if (!Number.isSafeInteger(n)) return undefined;
  if (exp10 >= 0) {
    const value = n * 10 ** exp10;
    return Number.isSafeInteger(value) ? value : undefined;
  }
  if (exp10 < -22) return undefined;
  const divisor = 10 ** -exp10;
  // Both are exact integers below 2^53, so the rounded quotient cannot cross an integer.
  return n % divisor === 0 ? n / divisor : Math.floor(n / divisor) + 1;
}

const binaryUnits: Array<[string, number]> = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

/**
 * Formats a canonical amount back into a Kubernetes quantity string.
 *
 * @example
 * formatQuantity(1500, 'cpu')          // "1500m"
 * formatQuantity(2000, 'cpu')          // "2"
 * formatQuantity(2 ** 31, 'memory')    // "2Gi"
 */
export function formatQuantity(amount: number, resource: string): string {
  if (resource === 'cpu') return amount % 1000 === 0 ? String(amount / 1000) : `${amount}m`;
  if (amount !== 0) {
    for (const [suffix, size] of binaryUnits) {
      if (amount % size === 0) return `${amount / size}${suffix}`;
    }
  }
  return String(amount);
}
