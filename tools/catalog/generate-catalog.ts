// Generates packages/aws/data/ec2-catalog.json.gz from the reference data set (DescribeInstanceTypes,
// per-zone offerings, on-demand prices). Run: npm run catalog:generate [-- DATA_DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { CatalogFile, CatalogRegion } from '@karpenter-ts/aws/catalog';
import { pruneInstanceType } from './prune-instance-type.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const outputPath = join(repoRoot, 'packages/aws/data/ec2-catalog.json.gz');

/** us-east-1 is the only region with a published price list in the data set; see README "Prices". */
const priceRegion = 'us-east-1';
const regions = ['us-east-1', 'us-west-2'];

interface Offering {
  readonly InstanceType: string;
  readonly Location: string;
}

function readJson<T>(path: string): T {
  const bytes = readFileSync(path);
  return JSON.parse((path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as T;
}

export function buildCatalog(dataDir: string): CatalogFile {
  const types = readJson<Record<string, InstanceTypeInfo>>(join(dataDir, 'aws/instance-types.json.gz'));
  const prices = readJson<Record<string, number>>(join(dataDir, `aws/ondemand-prices-${priceRegion}.json`));
  const names = Object.keys(types).sort();
  const regionEntries = regions.map((region): [string, CatalogRegion] => {
    const offered = readJson<Offering[]>(join(dataDir, `aws/offerings/${region}.json.gz`));
    const offerings: Record<string, string[]> = {};
    for (const { InstanceType, Location } of offered) {
      if (!types[InstanceType]) continue;
      (offerings[InstanceType] ??= []).push(Location);
    }
    const sortedOfferings = Object.fromEntries(
      Object.keys(offerings)
        .sort()
        .map((name) => [name, offerings[name].sort()]),
    );
    const onDemandPrices = Object.fromEntries(names.filter((n) => offerings[n] && prices[n] !== undefined).map((n) => [n, prices[n]]));
    return [
      region,
      {
        zones: [...new Set(offered.map((o) => o.Location))].sort(),
        offerings: sortedOfferings,
        onDemandPrices,
        priceSource:
          region === priceRegion
            ? `published on-demand Linux prices for ${priceRegion}`
            : `${priceRegion} on-demand Linux prices (same price; most types cost the same in ${region})`,
      },
    ];
  });
  return {
    formatVersion: 1,
    generatedFrom: 'DescribeInstanceTypes, DescribeInstanceTypeOfferings (availability-zone) and on-demand prices',
    instanceTypes: names.map((name) => pruneInstanceType(types[name])),
    regions: Object.fromEntries(regionEntries),
  };
}

function main(): void {
  const dataDir = resolve(process.argv[2] ?? join(repoRoot, '../shared/data'));
  const catalog = buildCatalog(dataDir);
  const bytes = gzipSync(JSON.stringify(catalog), { level: 9 });
  writeFileSync(outputPath, bytes);
  const summary = Object.entries(catalog.regions)
    .map(([r, c]) => `${r}: ${Object.keys(c.offerings).length} offered, ${Object.keys(c.onDemandPrices).length} priced`)
    .join('; ');
  console.log(`wrote ${relative(process.cwd(), outputPath)} (${(bytes.length / 1024).toFixed(0)} KiB): ${catalog.instanceTypes.length} instance types; ${summary}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
