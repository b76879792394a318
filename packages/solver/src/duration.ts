const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Thrown for a string that is not a Go duration. */
export class DurationError extends Error {}

/**
 * Parses a Go duration (`"8h"`, `"1h30m"`, `"1.5h"`, `"90s"`) into milliseconds.
 *
 * @example
 * parseDuration('1h30m') // 5400000
 */
export function parseDuration(text: string): number {
  const pattern = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  const body = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  if (body === '0') return 0;
  for (let match = pattern.exec(body); match; match = pattern.exec(body)) {
    total += Number(match[1]) * units[match[2]];
    consumed = pattern.lastIndex;
  }
  if (body === '' || consumed !== body.length) throw new DurationError(`"${text}" is not a duration (examples: 30m, 8h, 1h30m)`);
  return text.startsWith('-') ? -total : total;
}
