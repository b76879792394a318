/** Milliseconds since the epoch; injected wherever a decision depends on time, so tests control it. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
