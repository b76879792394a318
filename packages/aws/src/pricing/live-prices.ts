import { paginateDescribeSpotPriceHistory, type EC2Client } from '@aws-sdk/client-ec2';
import { paginateGetProducts, type PricingClient } from '@aws-sdk/client-pricing';
import type { PriceOverrides } from '../catalog/pricing.js';

/**
 * On-demand Linux prices of a region from the Pricing API (instance type → USD per hour).
 * Throws when the API is unreachable; callers fall back to the bundled table.
 */
export async function fetchOnDemandPrices(pricing: PricingClient, region: string): Promise<Record<string, number>> {
  const prices: Record<string, number> = {};
  const Filters = Object.entries({
    regionCode: region,
    operatingSystem: 'Linux',
    preInstalledSw: 'NA',
    tenancy: 'Shared',
    capacitystatus: 'Used',
  }).map(([Field, Value]) => ({ Type: 'TERM_MATCH' as const, Field, Value }));
  for await (const page of paginateGetProducts({ client: pricing }, { ServiceCode: 'AmazonEC2', Filters })) {
    for (const entry of page.PriceList ?? []) {
      // The SDK hands each product over as a lazily parsed String object, not a primitive.
      const parsed = parsePriceListEntry(String(entry));
      if (parsed) prices[parsed.instanceType] = parsed.price;
    }
  }
  if (Object.keys(prices).length === 0) throw new Error(`the Pricing API returned no on-demand prices for ${region}`);
  return prices;
}

/** One Pricing API product document → its instance type and hourly on-demand USD price. */
export function parsePriceListEntry(json: string): { instanceType: string; price: number } | undefined {
  const doc = JSON.parse(json) as {
    product?: { attributes?: { instanceType?: string } };
    terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { unit?: string; pricePerUnit?: { USD?: string } }> }> };
  };
  const instanceType = doc.product?.attributes?.instanceType;
  if (!instanceType) return undefined;
  for (const term of Object.values(doc.terms?.OnDemand ?? {})) {
    for (const dimension of Object.values(term.priceDimensions ?? {})) {
      const price = Number(dimension.pricePerUnit?.USD);
      if (dimension.unit === 'Hrs' && Number.isFinite(price) && price > 0) return { instanceType, price };
    }
  }
  return undefined;
}

/**
 * The latest Linux spot price per instance type and zone from DescribeSpotPriceHistory.
 * Filtering on the product description happens here: not every endpoint honours the filter.
 */
export async function fetchSpotPrices(ec2: EC2Client, now: Date): Promise<NonNullable<PriceOverrides['spot']>> {
  const latest = new Map<string, { price: number; at: number }>();
  const spot: Record<string, Record<string, number>> = {};
  const input = { StartTime: now, ProductDescriptions: ['Linux/UNIX', 'Linux/UNIX (Amazon VPC)'] };
  for await (const page of paginateDescribeSpotPriceHistory({ client: ec2 }, input)) {
    for (const row of page.SpotPriceHistory ?? []) {
      if (!row.ProductDescription?.startsWith('Linux/UNIX') || !row.InstanceType || !row.AvailabilityZone) continue;
      const price = Number(row.SpotPrice);
      if (!Number.isFinite(price)) continue;
      const key = `${row.InstanceType}/${row.AvailabilityZone}`;
      const at = row.Timestamp?.getTime() ?? 0;
      if ((latest.get(key)?.at ?? -1) >= at) continue;
      latest.set(key, { price, at });
      (spot[row.InstanceType] ??= {})[row.AvailabilityZone] = price;
    }
  }
  return spot;
}
