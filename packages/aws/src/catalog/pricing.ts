import type { CatalogRegion } from './bundled-catalog.js';

/**
 * Prices in USD per hour. Spot prices are per instance type, optionally per zone.
 *
 * This is also the `--prices FILE` format (JSON):
 * `{"onDemand": {"m5.large": 0.096}, "spot": {"m5.large": 0.035, "c5.large": {"us-east-1a": 0.031}}}`
 */
export interface PriceOverrides {
  readonly onDemand?: Readonly<Record<string, number>>;
  readonly spot?: Readonly<Record<string, number | Readonly<Record<string, number>>>>;
}

/**
 * Offline spot estimate: a fixed share of the on-demand price by kind of instance, close to
 * the long-run average discount EC2 spot shows for each (burstable types discount most,
 * accelerated types least). Real spot prices come from DescribeSpotPriceHistory at run time.
 */
export const spotShareOfOnDemand = {
  burstable: 0.3,
  accelerated: 0.45,
  other: 0.35,
} as const;

const acceleratedCategories = new Set(['p', 'g', 'gr', 'inf', 'trn', 'dl', 'f', 'vt']);

export function estimatedSpotPrice(instanceType: string, onDemandPrice: number): number {
  const category = /^[a-z]+/.exec(instanceType)?.[0] ?? '';
  const share =
    category === 't'
      ? spotShareOfOnDemand.burstable
      : acceleratedCategories.has(category)
        ? spotShareOfOnDemand.accelerated
        : spotShareOfOnDemand.other;
  return roundPrice(onDemandPrice * share);
}

/** The prices of one region: bundled on-demand prices and spot estimates, then the overrides. */
export class RegionPrices {
  constructor(
    private readonly region: CatalogRegion,
    private readonly overrides: PriceOverrides = {},
  ) {}

  onDemand(instanceType: string): number | undefined {
    return this.overrides.onDemand?.[instanceType] ?? this.region.onDemandPrices[instanceType];
  }

  spot(instanceType: string, zone: string): number | undefined {
    const override = this.overrides.spot?.[instanceType];
    if (typeof override === 'number') return override;
    if (override?.[zone] !== undefined) return override[zone];
    const onDemand = this.onDemand(instanceType);
    return onDemand === undefined ? undefined : estimatedSpotPrice(instanceType, onDemand);
  }
}

/**
 * Checks a parsed `--prices` document. Throws an error naming the source and the bad entry.
 */
export function parsePriceOverrides(value: unknown, source: string): PriceOverrides {
  const fail = (where: string, what: string): never => {
    throw new Error(`${source}: ${where}: ${what} (expected {"onDemand": {"m5.large": 0.096}, "spot": {"m5.large": 0.035}} in USD per hour)`);
  };
  if (!isObject(value)) return fail('document', 'not a JSON object');
  for (const key of Object.keys(value)) {
    if (key !== 'onDemand' && key !== 'spot') fail(key, 'unknown key, only "onDemand" and "spot" are allowed');
  }
  const checkPrice = (where: string, price: unknown): number =>
    typeof price === 'number' && Number.isFinite(price) && price >= 0 ? price : fail(where, `${JSON.stringify(price)} is not a price`);
  const onDemand: Record<string, number> = {};
  if (value.onDemand !== undefined) {
    if (!isObject(value.onDemand)) fail('onDemand', 'not an object of instance type → price');
    for (const [name, price] of Object.entries(value.onDemand as object)) onDemand[name] = checkPrice(`onDemand.${name}`, price);
  }
  const spot: Record<string, number | Record<string, number>> = {};
  if (value.spot !== undefined) {
    if (!isObject(value.spot)) fail('spot', 'not an object of instance type → price or zone → price');
    for (const [name, price] of Object.entries(value.spot as object)) {
      spot[name] = isObject(price)
        ? Object.fromEntries(Object.entries(price).map(([zone, p]) => [zone, checkPrice(`spot.${name}.${zone}`, p)]))
        : checkPrice(`spot.${name}`, price);
    }
  }
  return { onDemand, spot };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function roundPrice(price: number): number {
  return Math.round(price * 1e6) / 1e6;
}
