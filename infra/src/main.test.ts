import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InfraConfigError } from './config.js';
import { loadInfraConfig } from './main.js';

const infraDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = resolve(infraDir, '..');

describe('loadInfraConfig', () => {
  it('reads the file named by KARPENTER_INFRA_CONFIG and resolves the chart path against it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infra-config-'));
    try {
      const file = join(dir, 'prod.json');
      writeFileSync(file, JSON.stringify({ clusterName: 'prod', region: 'eu-west-1', identity: { mode: 'podIdentity' }, chart: { path: 'charts/karpenter' } }));
      const { config } = loadInfraConfig({ KARPENTER_INFRA_CONFIG: file });
      expect(config.clusterName).toBe('prod');
      expect(config.chart.path).toBe(join(dir, 'charts/karpenter'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to the example configuration and this repository\'s chart', () => {
    const { config, file, example } = loadInfraConfig({});
    const ownConfig = existsSync(join(infraDir, 'karpenter-infra.json'));
    expect(file).toBe(join(infraDir, ownConfig ? 'karpenter-infra.json' : 'karpenter-infra.example.json'));
    expect(example).toBe(!ownConfig);
    expect(config.chart.path).toBe(join(repoRoot, 'apps/controller/chart'));
  });

  it('says which file is missing or malformed', () => {
    expect(() => loadInfraConfig({ KARPENTER_INFRA_CONFIG: '/nonexistent/infra.json' })).toThrow(/\/nonexistent\/infra\.json.*does not exist/s);
    const dir = mkdtempSync(join(tmpdir(), 'infra-config-'));
    try {
      writeFileSync(join(dir, 'broken.json'), '{ "clusterName": ');
      expect(() => loadInfraConfig({ KARPENTER_INFRA_CONFIG: join(dir, 'broken.json') })).toThrow(InfraConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm run infra:synth', () => {
  it('writes infra/cdktf.out in cdktf\'s layout without the cdktf CLI or the network', () => {
    const stackFile = join(infraDir, 'cdktf.out/stacks/karpenter/cdk.tf.json');
    const before = Date.now();
    // No proxy and no registry: the synth must not try to download anything.
    const env: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', npm_config_offline: 'true' };
    delete env.CDKTF_OUTDIR;
    execFileSync('npm', ['run', '--silent', 'infra:synth'], { cwd: repoRoot, env, stdio: 'pipe' });
    expect(statSync(stackFile).mtimeMs).toBeGreaterThanOrEqual(before - 1000);
    const manifest = JSON.parse(readFileSync(join(infraDir, 'cdktf.out/manifest.json'), 'utf8'));
    expect(manifest.stacks.karpenter.synthesizedStackPath).toBe('stacks/karpenter/cdk.tf.json');
    const stack = JSON.parse(readFileSync(stackFile, 'utf8'));
    expect(Object.keys(stack.resource)).toEqual(expect.arrayContaining(['aws_iam_role', 'aws_sqs_queue', 'helm_release']));
  }, 60_000);
});
