import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { bundledCatalogPath, parseCatalogFile } from '@karpenter-ts/aws/catalog';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from './generate-catalog.js';

const dataDir = fileURLToPath(new URL('../../../shared/data', import.meta.url));

describe('bundled EC2 catalog', () => {
  it.skipIf(!existsSync(dataDir))('is what `npm run catalog:generate` makes from the reference data (regenerate and commit when stale)', () => {
    const committed = parseCatalogFile(gunzipSync(readFileSync(bundledCatalogPath)).toString('utf8'));
    expect(committed).toEqual(buildCatalog(dataDir));
  });

  it('covers both regions with prices and zones', () => {
    const catalog = parseCatalogFile(gunzipSync(readFileSync(bundledCatalogPath)).toString('utf8'));
    expect(catalog.instanceTypes.length).toBe(1263);
    expect(catalog.regions['us-east-1'].zones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
    expect(catalog.regions['us-west-2'].zones).toEqual(['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d']);
    expect(catalog.regions['us-east-1'].onDemandPrices['m5.large']).toBe(0.096);
    expect(catalog.regions['us-west-2'].offerings['m5.large']).toContain('us-west-2a');
    // Pruned to what the builder reads, still in the DescribeInstanceTypes shape.
    const m5 = catalog.instanceTypes.find((t) => t.InstanceType === 'm5.large');
    expect(m5?.VCpuInfo).toEqual({ DefaultVCpus: 2 });
    expect(m5?.NetworkInfo?.Ipv4AddressesPerInterface).toBe(10);
    expect(m5).not.toHaveProperty('PlacementGroupInfo');
  });
});
