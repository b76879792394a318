// The live catalog: instance types, offerings and spot prices from moto's EC2; on-demand prices
// from the Pricing API (moto has none, so a small HTTP server speaks its JSON protocol) or, when
// that fails, from the bundled table; refreshed every 12 hours on the injected clock.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_ACTIONS } from '../src/actions.js';
import { loadBundledCatalog } from '../src/catalog/bundled-catalog.js';
import { createAwsClients } from '../src/clients.js';
import { InstanceTypeProvider } from '../src/instance-types/instance-type-provider.js';
import { silentLogger } from '../src/logger.js';
import { UnavailableOfferings } from '../src/unavailable-offerings.js';
import { motoEndpoint, REGION } from './aws-test-env.js';

const calls: string[] = [];
let pricingServer: Server;
let pricingEndpoint: string;
let now = Date.parse('2026-01-01T00:00:00Z');

function providerWith(pricing?: string) {
  const clients = createAwsClients({
    region: REGION,
    endpoint: motoEndpoint(),
    endpoints: pricing ? { pricing } : undefined,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
    onAction: (action) => calls.push(action),
  });
  return new InstanceTypeProvider(clients, { region: REGION, clock: () => now, logger: silentLogger, unavailable: new UnavailableOfferings(() => now) });
}

beforeAll(async () => {
  pricingServer = createServer((req, res) => {
    const product = (instanceType: string, usd: string) =>
      JSON.stringify({ product: { attributes: { instanceType } }, terms: { OnDemand: { t: { priceDimensions: { d: { unit: 'Hrs', pricePerUnit: { USD: usd } } } } } } });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ FormatVersion: 'aws_v1', PriceList: [product('m5.large', '0.5000000000'), product('c5.large', '0.4000000000')] }));
    req.resume();
  });
  await new Promise<void>((resolve) => pricingServer.listen(0, '127.0.0.1', resolve));
  pricingEndpoint = `http://127.0.0.1:${(pricingServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => pricingServer.close(resolve));
  expect([...new Set(calls)].filter((a) => !(AWS_ACTIONS as readonly string[]).includes(a))).toEqual([]);
});

// A full read of moto's catalog takes seconds (more on a loaded machine): allow for it.
describe('live instance types', { timeout: 180_000 }, () => {
  let withPricingApi: InstanceTypeProvider;

  it('builds the region from DescribeInstanceTypes/Offerings with spot prices, falling back to bundled on-demand prices', async () => {
    const provider = providerWith();
    const types = await provider.instanceTypes();
    expect(types.length).toBeGreaterThan(500);
    expect(await provider.onDemandPriceSource()).toBe('bundled');
    const m5 = types.find((t) => t.name === 'm5.large')!;
    const onDemand = m5.offerings.filter((o) => o.capacityType === 'on-demand');
    expect(onDemand.map((o) => o.zone).sort()).toEqual(['a', 'b', 'c', 'd'].map((z) => `${REGION}${z}`));
    expect(onDemand[0].price).toBe(loadBundledCatalog().regions[REGION].onDemandPrices['m5.large']);
    // moto reports every spot price as 0.00001.
    expect(m5.offerings.filter((o) => o.capacityType === 'spot').every((o) => o.price === 0.00001)).toBe(true);
    expect(m5.allocatable.cpu).toBeLessThan(m5.capacity.cpu);
  });

  it('reads on-demand prices from the Pricing API when it answers', async () => {
    withPricingApi = providerWith(pricingEndpoint);
    const types = await withPricingApi.instanceTypes();
    expect(await withPricingApi.onDemandPriceSource()).toBe('pricing-api');
    const price = (name: string) => types.find((t) => t.name === name)!.offerings.find((o) => o.capacityType === 'on-demand')!.price;
    expect(price('m5.large')).toBe(0.5);
    expect(price('c5.large')).toBe(0.4);
    // Types the Pricing API did not list keep the bundled price.
    expect(price('m5.xlarge')).toBe(loadBundledCatalog().regions[REGION].onDemandPrices['m5.xlarge']);
  });

  it('reads EC2 again only after 12 hours', async () => {
    const provider = withPricingApi;
    const describes = () => calls.filter((c) => c === 'ec2:DescribeInstanceTypes').length;
    const after = describes();
    now += 11 * 60 * 60_000;
    await provider.instanceTypes({ kubelet: { maxPods: 20 } });
    expect(describes()).toBe(after);
    now += 60 * 60_000;
    const types = await provider.instanceTypes({ kubelet: { maxPods: 20 } });
    expect(describes()).toBe(after + 1);
    expect(types.find((t) => t.name === 'm5.large')!.capacity.pods).toBe(20);
  });
});
