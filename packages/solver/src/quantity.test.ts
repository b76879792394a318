import { describe, expect, it } from 'vitest';
import { formatQuantity, parseQuantity, QuantityError } from './quantity.js';

describe('parseQuantity', () => {
  it('parses cpu into millicores, rounding up', () => {
    expect(parseQuantity('500m', 'cpu')).toBe(500);
    expect(parseQuantity('2', 'cpu')).toBe(2000);
    expect(parseQuantity('1.5', 'cpu')).toBe(1500);
    expect(parseQuantity('0.0001', 'cpu')).toBe(1);
    expect(parseQuantity('100u', 'cpu')).toBe(1);
    expect(parseQuantity(0.25, 'cpu')).toBe(250);
  });

  it('parses binary and decimal suffixes into bytes', () => {
    expect(parseQuantity('1Ki', 'memory')).toBe(1024);
    expect(parseQuantity('1.5Gi', 'memory')).toBe(1.5 * 2 ** 30);
    expect(parseQuantity('128974848', 'memory')).toBe(128974848);
    expect(parseQuantity('129e6', 'memory')).toBe(129_000_000);
    expect(parseQuantity('129M', 'memory')).toBe(129_000_000);
    expect(parseQuantity('123Mi', 'memory')).toBe(123 * 2 ** 20);
    expect(parseQuantity('1k', 'memory')).toBe(1000);
    expect(parseQuantity('2T', 'memory')).toBe(2e12);
    expect(parseQuantity('1Ti', 'memory')).toBe(2 ** 40);
    expect(parseQuantity('1Pi', 'ephemeral-storage')).toBe(2 ** 50);
  });

  it('tells the exa suffix from an exponent', () => {
    expect(parseQuantity('1E', 'memory')).toBe(1e18);
    expect(parseQuantity('1E3', 'memory')).toBe(1000);
    expect(parseQuantity('1e-3', 'cpu')).toBe(1);
    expect(parseQuantity('5E-1', 'cpu')).toBe(500);
  });

  it('rounds fractional units up and handles signs and leading dots', () => {
    expect(parseQuantity('1.2', 'nvidia.com/gpu')).toBe(2);
    expect(parseQuantity('.5', 'cpu')).toBe(500);
    expect(parseQuantity('+1', 'pods')).toBe(1);
    expect(parseQuantity('-1', 'pods')).toBe(-1);
    expect(parseQuantity('500m', 'memory')).toBe(1);
  });

  it('stays exact beyond 2^53 through BigInt', () => {
    expect(parseQuantity('8Ei', 'memory')).toBe(8 * 2 ** 60);
    expect(parseQuantity('1234567890123456789', 'memory')).toBe(1234567890123456789);
  });

  it('rejects what is not a quantity, with an example of what is', () => {
    for (const bad of ['', 'abc', '1.2.3', '1Gb', '1 Gi', 'Mi', '1ei']) {
      expect(() => parseQuantity(bad, 'memory'), bad).toThrow(QuantityError);
    }
    expect(() => parseQuantity('1Gb', 'memory')).toThrow(/examples: 500m/);
  });
});

describe('formatQuantity', () => {
  it('prints cores, millicores and binary units', () => {
    expect(formatQuantity(1500, 'cpu')).toBe('1500m');
    expect(formatQuantity(96000, 'cpu')).toBe('96');
    expect(formatQuantity(2 ** 31, 'memory')).toBe('2Gi');
    expect(formatQuantity(1000, 'memory')).toBe('1000');
    expect(formatQuantity(3, 'pods')).toBe('3');
  });
});
