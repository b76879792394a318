// Entry point of `cdktf synth` / `cdktf deploy` (see cdktf.json) and of `npm run infra:synth`.
// Reads the configuration file named by KARPENTER_INFRA_CONFIG, else ./karpenter-infra.json,
// else the example configuration (for a synth without a cluster), and writes cdktf.out.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdktf';
import { InfraConfigError, parseInfraConfig, type InfraConfig } from './config.js';
import { KarpenterStack } from './karpenter-stack.js';

export const STACK_NAME = 'karpenter';
const infraDir = fileURLToPath(new URL('..', import.meta.url));
const chartDefaults = {
  chartPath: resolve(infraDir, '../apps/controller/chart'),
  crdChartPath: resolve(infraDir, '../apps/controller/chart/karpenter-ts-crd'),
};

export function loadInfraConfig(env: NodeJS.ProcessEnv = process.env): { config: InfraConfig; file: string; example: boolean } {
  const candidates = [env.KARPENTER_INFRA_CONFIG, resolve(infraDir, 'karpenter-infra.json')];
  const file = candidates.find((path): path is string => path !== undefined && existsSync(path));
  if (env.KARPENTER_INFRA_CONFIG !== undefined && file !== env.KARPENTER_INFRA_CONFIG) {
    throw new InfraConfigError(env.KARPENTER_INFRA_CONFIG, ['KARPENTER_INFRA_CONFIG names a file that does not exist; fix the path']);
  }
  const source = file ?? resolve(infraDir, 'karpenter-infra.example.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(source, 'utf8'));
  } catch (error) {
    throw new InfraConfigError(source, [`cannot read the file as JSON (${(error as Error).message}); fix its syntax`]);
  }
  const config = parseInfraConfig(raw, source, chartDefaults);
  // Chart paths in the file are relative to the file.
  const chart = { ...config.chart, path: resolve(dirname(source), config.chart.path), crdPath: resolve(dirname(source), config.chart.crdPath) };
  return { config: { ...config, chart }, file: source, example: file === undefined };
}

function main(): void {
  const { config, file, example } = loadInfraConfig();
  if (example) process.stderr.write(`no karpenter-infra.json: synthesizing the example configuration ${file}\n`);
  const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? resolve(infraDir, 'cdktf.out') });
  new KarpenterStack(app, STACK_NAME, config);
  app.synth();
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    if (!(error instanceof InfraConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
