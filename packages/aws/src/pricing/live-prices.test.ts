import { describe, expect, it } from 'vitest';
import { parsePriceListEntry } from './live-prices.js';

const product = (instanceType: string | undefined, usd: string, unit = 'Hrs') =>
  JSON.stringify({
    product: { attributes: { instanceType, operatingSystem: 'Linux' } },
    terms: { OnDemand: { 'SKU.TERM': { priceDimensions: { 'SKU.TERM.DIM': { unit, pricePerUnit: { USD: usd } } } } } },
  });

describe('parsePriceListEntry', () => {
  it('reads the instance type and hourly USD price of a Pricing API product', () => {
    expect(parsePriceListEntry(product('m5.large', '0.0960000000'))).toEqual({ instanceType: 'm5.large', price: 0.096 });
  });
  it('skips products without an instance type or an hourly price', () => {
    expect(parsePriceListEntry(product(undefined, '0.1'))).toBeUndefined();
    expect(parsePriceListEntry(product('m5.large', '0.0000000000'))).toBeUndefined();
    expect(parsePriceListEntry(product('m5.large', '12', 'Quantity'))).toBeUndefined();
  });
});
