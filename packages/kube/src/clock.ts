/** The time source for every decision that depends on time; tests pass a controllable one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Kubernetes MicroTime (RFC 3339 with exactly six fractional digits), as Lease and events.k8s.io need. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
