import { paginateDescribeInstanceTypeOfferings, paginateDescribeInstanceTypes, type InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { InstanceType } from '@karpenter-ts/api';
import { loadBundledCatalog, type CatalogFile, type CatalogRegion } from '../catalog/bundled-catalog.js';
import type { InstanceTypeOptions } from '../catalog/build-instance-type.js';
import { catalogInstanceTypes } from '../catalog/catalog-instance-types.js';
import type { PriceOverrides } from '../catalog/pricing.js';
import type { AwsClients } from '../clients.js';
import type { Clock } from '../clock.js';
import { describeAwsError } from '../errors.js';
import type { Logger } from '../logger.js';
import { fetchOnDemandPrices, fetchSpotPrices } from '../pricing/live-prices.js';
import type { UnavailableOfferings } from '../unavailable-offerings.js';
import { canonicalJson } from '../canonical-json.js';

export const CATALOG_REFRESH_INTERVAL_MS = 12 * 60 * 60_000;
/** After a failed refresh with data in hand, try again this much later instead of on every call. */
const RETRY_AFTER_FAILURE_MS = 5 * 60_000;

export interface InstanceTypeProviderOptions {
  readonly region: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly unavailable: UnavailableOfferings;
  /** Bundled catalog whose on-demand table is the fallback when the Pricing API fails. */
  readonly bundledCatalog?: CatalogFile;
}

/** What one refresh read from EC2 and the Pricing API, in the bundled catalog's shape. */
interface LiveCatalog {
  readonly catalog: CatalogFile;
  readonly prices: PriceOverrides;
  readonly onDemandSource: 'pricing-api' | 'bundled';
  /** Built instance types per EC2NodeClass settings, until the next refresh. */
  readonly built: Map<string, InstanceType[]>;
}

/**
 * The region's instance types with their offerings and prices, read from EC2 every 12 hours and
 * built by the same code as the bundled catalog (the live data is fed to it as a catalog).
 * Offerings recently out of capacity are reported as unavailable.
 */
export class InstanceTypeProvider {
  private live: LiveCatalog | undefined;
  private nextRefreshAt = 0;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly clients: AwsClients,
    private readonly options: InstanceTypeProviderOptions,
  ) {}

  /**
   * Instance types for one EC2NodeClass's kubelet and storage settings.
   *
   * @example
   * const types = await provider.instanceTypes({ kubelet: nodeClass.spec.kubelet });
   */
  async instanceTypes(settings: Omit<InstanceTypeOptions, 'region'> = {}): Promise<InstanceType[]> {
    const live = await this.current();
    const { unavailable } = this.options;
    const key = canonicalJson(settings);
    let built = live.built.get(key);
    if (!built) {
      built = catalogInstanceTypes({ ...settings, region: this.options.region, catalog: live.catalog, prices: live.prices });
      live.built.set(key, built);
    }
    return built.map((type) =>
      type.offerings.some((o) => unavailable.isOfferingUnavailable(o.capacityType, type.name, o.zone))
        ? {
            ...type,
            offerings: type.offerings.map((o) =>
              unavailable.isOfferingUnavailable(o.capacityType, type.name, o.zone) ? { ...o, available: false } : o,
            ),
          }
        : type,
    );
  }

  /** Where on-demand prices currently come from. */
  async onDemandPriceSource(): Promise<'pricing-api' | 'bundled'> {
    return (await this.current()).onDemandSource;
  }

  /** Reads everything again now (also what the 12-hour timer does). */
  async refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => (this.inFlight = undefined));
    await this.inFlight;
  }

  private async current(): Promise<LiveCatalog> {
    if (!this.live || this.options.clock() >= this.nextRefreshAt) {
      try {
        await this.refresh();
      } catch (error) {
        if (!this.live) throw error;
        this.nextRefreshAt = this.options.clock() + RETRY_AFTER_FAILURE_MS;
        this.options.logger.warn({ error: describeAwsError(error) }, 'instance type refresh failed; keeping the previous catalog');
      }
    }
    return this.live!;
  }

  private async load(): Promise<void> {
    const { ec2, pricing } = this.clients;
    const { region, clock, logger } = this.options;
    const instanceTypes: InstanceTypeInfo[] = [];
    for await (const page of paginateDescribeInstanceTypes({ client: ec2 }, {})) instanceTypes.push(...(page.InstanceTypes ?? []));
    const offerings: Record<string, string[]> = {};
    const zones = new Set<string>();
    for await (const page of paginateDescribeInstanceTypeOfferings({ client: ec2 }, { LocationType: 'availability-zone' })) {
      for (const offering of page.InstanceTypeOfferings ?? []) {
        (offerings[offering.InstanceType!] ??= []).push(offering.Location!);
        zones.add(offering.Location!);
      }
    }
    const spot = await fetchSpotPrices(ec2, new Date(clock()));
    let onDemand: Record<string, number> = {};
    let onDemandSource: LiveCatalog['onDemandSource'] = 'pricing-api';
    try {
      onDemand = await fetchOnDemandPrices(pricing, region);
    } catch (error) {
      onDemandSource = 'bundled';
      logger.warn({ region, error: describeAwsError(error) }, 'on-demand prices unavailable from the Pricing API; using the bundled table');
    }
    const bundled = this.bundledRegion();
    const regionData: CatalogRegion = {
      zones: [...zones].sort(),
      offerings,
      onDemandPrices: bundled?.onDemandPrices ?? {},
      priceSource: onDemandSource === 'pricing-api' ? 'AWS Pricing API' : (bundled?.priceSource ?? 'none'),
    };
    this.live = {
      catalog: { formatVersion: 1, generatedFrom: `DescribeInstanceTypes ${region}`, instanceTypes, regions: { [region]: regionData } },
      prices: { onDemand, spot },
      onDemandSource,
      built: new Map(),
    };
    this.nextRefreshAt = clock() + CATALOG_REFRESH_INTERVAL_MS;
    logger.info({ region, instanceTypes: instanceTypes.length, onDemandSource }, 'instance types refreshed');
  }

  private bundledRegion(): CatalogRegion | undefined {
    try {
      return (this.options.bundledCatalog ?? loadBundledCatalog()).regions[this.options.region];
    } catch {
      return undefined;
    }
  }
}
