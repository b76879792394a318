import { describe, expect, it } from 'vitest';
import { SlackIndex } from './slack-index.js';

const v = (...values: number[]) => Float64Array.from(values);

describe('SlackIndex', () => {
  it('finds the first position with room in every resource', () => {
    const index = new SlackIndex(2);
    index.set(0, v(1, 10));
    index.set(1, v(5, 1));
    index.set(2, v(4, 8));
    expect(index.next(0, v(3, 5))).toBe(2); // 0 lacks cpu, 1 lacks memory
    expect(index.next(0, v(1, 1))).toBe(0);
    expect(index.next(1, v(1, 1))).toBe(1);
    expect(index.next(3, v(1, 1))).toBe(-1);
    expect(index.next(0, v(6, 1))).toBe(-1);
  });

  it('keeps its answers through growth and updates', () => {
    const index = new SlackIndex(1);
    for (let i = 0; i < 300; i++) index.set(i, v(i % 7));
    expect(index.next(100, v(6))).toBe(104);
    index.set(104, v(0));
    expect(index.next(100, v(6))).toBe(111);
  });
});
