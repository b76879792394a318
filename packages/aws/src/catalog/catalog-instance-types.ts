import type { InstanceType, Offering } from '@karpenter-ts/api';
import { loadBundledCatalog, type CatalogFile } from './bundled-catalog.js';
import { buildInstanceType, isKubernetesCapable, type InstanceTypeOptions } from './build-instance-type.js';
import { RegionPrices, type PriceOverrides } from './pricing.js';

export interface CatalogInstanceTypesOptions extends InstanceTypeOptions {
  /** Replaces bundled on-demand prices and spot estimates (`--prices FILE`). */
  readonly prices?: PriceOverrides;
  /** Defaults to the bundled catalog. */
  readonly catalog?: CatalogFile;
}

/**
 * Every instance type of the bundled catalog offered in the region, with on-demand and spot
 * offerings per zone. Types without a known price have no offering and are left out.
 *
 * @example
 * const types = catalogInstanceTypes({ region: 'us-west-2', kubelet: { maxPods: 58 } });
 */
export function catalogInstanceTypes(options: CatalogInstanceTypesOptions): InstanceType[] {
  const catalog = options.catalog ?? loadBundledCatalog();
  const region = catalog.regions[options.region];
  if (!region) {
    throw new Error(`region ${options.region} is not in the bundled catalog (known: ${Object.keys(catalog.regions).sort().join(', ')})`);
  }
  const prices = new RegionPrices(region, options.prices);
  const result: InstanceType[] = [];
  for (const info of catalog.instanceTypes) {
    const name = info.InstanceType ?? '';
    const zones = region.offerings[name];
    if (!zones || !isKubernetesCapable(info)) continue;
    const usage = new Set(info.SupportedUsageClasses ?? []);
    const offerings: Offering[] = [];
    for (const zone of zones) {
      const onDemand = usage.has('on-demand') ? prices.onDemand(name) : undefined;
      if (onDemand !== undefined) offerings.push({ capacityType: 'on-demand', zone, price: onDemand, available: true });
      const spot = usage.has('spot') ? prices.spot(name, zone) : undefined;
      if (spot !== undefined) offerings.push({ capacityType: 'spot', zone, price: spot, available: true });
    }
    if (offerings.length > 0) result.push(buildInstanceType(info, offerings, options));
  }
  return result;
}
