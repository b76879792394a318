import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { config, synth } from '../test/synth.js';

// The values this app passes must be accepted by the chart's values.schema.json and reach the
// controller. Renders the real chart with the synthesized values, references replaced by
// example values, using the Helm that tools/helm/install-helm.sh builds (or $HELM).
const helm = process.env.HELM ?? join(process.env.KARPENTER_TS_CACHE ?? join(homedir(), '.cache', 'karpenter-ts'), 'bin', 'helm-v4.3.2');
const helmFound = existsSync(helm);
if (!helmFound) console.warn(`\n!!! chart rendering test SKIPPED: no helm at ${helm} (run tools/helm/install-helm.sh or set HELM)\n`);

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const EXAMPLES: [RegExp, string][] = [
  [/\$\{data\.aws_eks_cluster\.cluster\.endpoint\}/g, 'https://EXAMPLE.gr7.us-west-2.eks.amazonaws.com'],
  [/\$\{aws_iam_role\.controller-role_\w+\.arn\}/g, 'arn:aws:iam::111122223333:role/KarpenterController-demo'],
];

function render(identity: Record<string, unknown>): string {
  const stack = synth(config({ identity, namespace: 'karpenter', chart: { path: join(repoRoot, 'apps/controller/chart'), values: { replicas: 3 } } }));
  const release = stack.resources('helm_release').find((r) => r.name === 'karpenter')!;
  const dir = mkdtempSync(join(tmpdir(), 'infra-chart-'));
  try {
    const files = (release.values as string[]).map((text, i) => {
      const file = join(dir, `values-${i}.json`);
      writeFileSync(file, EXAMPLES.reduce((t, [pattern, example]) => t.replace(pattern, example), text));
      return file;
    });
    return execFileSync(helm, ['template', 'karpenter', release.chart as string, '--namespace', 'karpenter', ...files.flatMap((f) => ['-f', f])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!helmFound)('controller chart with the values of this app', () => {
  it('passes the chart schema and configures the controller (IRSA)', () => {
    const manifests = render({ mode: 'irsa', oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE' });
    expect(manifests).toMatch(/- name: CLUSTER_NAME\s+value: "demo"/);
    expect(manifests).toMatch(/- name: CLUSTER_ENDPOINT\s+value: "https:\/\/EXAMPLE\.gr7\.us-west-2\.eks\.amazonaws\.com"/);
    expect(manifests).toMatch(/- name: AWS_REGION\s+value: "us-west-2"/);
    expect(manifests).toMatch(/- name: INTERRUPTION_QUEUE\s+value: "Karpenter-demo"/);
    expect(manifests).toMatch(/kind: ServiceAccount\s+metadata:\s+name: karpenter\s+namespace: karpenter/);
    expect(manifests).toMatch(/eks\.amazonaws\.com\/role-arn: "?arn:aws:iam::111122223333:role\/KarpenterController-demo"?\n/);
    expect(manifests).toMatch(/replicas: 3/);
  });

  it('passes the chart schema with Pod Identity, without the IRSA annotation', () => {
    const manifests = render({ mode: 'podIdentity' });
    expect(manifests).toMatch(/- name: CLUSTER_NAME\s+value: "demo"/);
    expect(manifests).not.toContain('eks.amazonaws.com/role-arn');
  });
});
