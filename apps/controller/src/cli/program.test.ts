import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createProgram } from './program.js';

const examples = new URL('../../../../examples/workloads/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'karpenter-ts-cli-'));
const db = join(dir, 'ledger.sqlite');

async function run(args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await createProgram({
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: () => stdin,
    env: {},
  }).run(args);
  return { code, stdout, stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const pool = `
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: { name: default }
spec:
  template:
    spec:
      requirements:
        - { key: karpenter.k8s.aws/instance-family, operator: In, values: [m5, c5] }
        - { key: karpenter.sh/capacity-type, operator: In, values: [on-demand] }
      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
---
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: { name: default }
spec:
  role: KarpenterNodeRole
  amiSelectorTerms: [{ alias: al2023@latest }]
  subnetSelectorTerms: [{ tags: { karpenter.sh/discovery: c } }]
  securityGroupSelectorTerms: [{ tags: { karpenter.sh/discovery: c } }]
`;

const web = (replicas: number, cpu = '500m') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: ${replicas}
  template:
    spec:
      containers: [{ name: web, resources: { requests: { cpu: ${cpu}, memory: 1Gi } } }]
`;

// Plans run the full catalog through the solver: seconds each on a busy machine.
describe('karpenter-ts plan', { timeout: 60_000 }, () => {
  it('--output json prints exactly the documented shape', async () => {
    const { code, stdout } = await run(['plan', '-f', file('pool.yaml', pool), '-f', '-', '--output', 'json', '--db', db], web(4) + '---\n' + `
apiVersion: v1
kind: Pod
metadata: { name: picky, namespace: shop }
spec:
  nodeSelector: { team: finance }
  containers: [{ name: c, resources: { requests: { cpu: 100m } } }]
`);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(Object.keys(plan)).toEqual(['nodeClaims', 'unschedulable', 'totalPricePerHour', 'lowerBoundPricePerHour']);
    expect(plan.nodeClaims).toHaveLength(1);
    const [claim] = plan.nodeClaims;
    expect(Object.keys(claim)).toEqual(['nodePool', 'instanceTypes', 'capacityType', 'zones', 'pods', 'requests', 'pricePerHour']);
    expect(claim.nodePool).toBe('default');
    expect(claim.capacityType).toBe('on-demand');
    expect(claim.pods).toEqual(['shop/web-0', 'shop/web-1', 'shop/web-2', 'shop/web-3']);
    // 4 × 500m and 4 × 1Gi, no DaemonSets in the input.
    expect(claim.requests).toEqual({ cpu: '2', memory: '4Gi' });
    expect(claim.instanceTypes.every((t: string) => /^(m5|c5)\./.test(t))).toBe(true);
    expect(typeof claim.pricePerHour).toBe('number');
    expect(claim.zones.length).toBeGreaterThan(0);
    expect(plan.totalPricePerHour).toBe(claim.pricePerHour);
    expect(plan.lowerBoundPricePerHour).toBeGreaterThan(0);
    expect(plan.lowerBoundPricePerHour).toBeLessThanOrEqual(plan.totalPricePerHour);
    // Priced at the pool's own rates (on-demand m5/c5), not at spot or burstable rates it cannot launch.
    expect(plan.lowerBoundPricePerHour).toBeGreaterThan(plan.totalPricePerHour / 2);
    expect(plan.unschedulable).toEqual([{ pod: 'shop/picky', reasons: { default: expect.stringMatching(/label "team"/) } }]);
  });

  it('--output yaml carries the same document', async () => {
    const args = ['plan', '-f', file('pool.yaml', pool), '-f', file('web.yaml', web(2)), '--no-ledger'];
    const [json, yaml] = await Promise.all([run([...args, '-o', 'json']), run([...args, '-o', 'yaml'])]);
    expect(parseYaml(yaml.stdout)).toEqual(JSON.parse(json.stdout));
  });

  it('--output table shows rows, totals, the lower bound and reasons', async () => {
    const { code, stdout } = await run(['plan', '-f', file('pool.yaml', pool), '-f', file('web.yaml', web(3)), '--no-ledger']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^NODEPOOL\s+INSTANCE TYPE\s+CAPACITY\s+ZONE\s+CPU REQ\/ALLOC\s+MEMORY REQ\/ALLOC\s+PODS\s+PRICE\/H$/m);
    expect(stdout).toMatch(/^default\s+(m5|c5)\.\S+ \(\+\d+\)\s+on-demand\s+/m);
    expect(stdout).toMatch(/^Total: +1 NodeClaims for 3 of 3 pods, \$\d+\.\d{4}\/hour/m);
    expect(stdout).toMatch(/^Lower bound: +\$\d+\.\d{4}\/hour .*ratio \d+\.\d\d$/m);
  });

  it('records the run in the ledger; report lists and shows it', async () => {
    const planned = await run(['plan', '-f', file('pool.yaml', pool), '-f', file('web.yaml', web(2)), '--db', db, '-o', 'json']);
    const id = Number(/recorded as run (\d+)/.exec(planned.stderr)?.[1]);
    expect(id).toBeGreaterThan(0);
    const list = await run(['report', '--db', db]);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+cli\\s+us-east-1\\s+2\\s+1\\s+0`, 'm'));
    const shown = await run(['report', String(id), '--db', db, '-o', 'json']);
    expect(JSON.parse(shown.stdout).summary).toEqual(JSON.parse(planned.stdout));
    expect((await run(['report', '999999', '--db', db])).stderr).toMatch(/error: report: no run 999999 in/);
  });

  it('plans the example workloads with an explanation for each unschedulable pod', async () => {
    const { code, stdout } = await run(['plan', '-f', examples, '-o', 'json', '--no-ledger']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    const pods = plan.nodeClaims.flatMap((c: { pods: string[] }) => c.pods);
    expect(pods).toContain('shop/web-23');
    expect(pods).toContain('data/orders-db-2');
    expect(plan.unschedulable.map((u: { pod: string }) => u.pod).sort()).toEqual(['analytics/in-memory-analytics-0', 'finance/ledger-export', 'ml/notebook']);
    const gpuClaims = plan.nodeClaims.filter((c: { nodePool: string }) => c.nodePool === 'gpu');
    expect(gpuClaims.flatMap((c: { pods: string[] }) => c.pods)).toEqual(['ml/llm-inference-0', 'ml/llm-inference-1', 'ml/llm-inference-2']);
    // Each orders-db replica follows its bound volume's zone.
    const zoneOf = (pod: string) => plan.nodeClaims.find((c: { pods: string[] }) => c.pods.includes(pod))?.zones;
    expect([zoneOf('data/orders-db-0'), zoneOf('data/orders-db-1'), zoneOf('data/orders-db-2')]).toEqual([['us-east-1a'], ['us-east-1b'], ['us-east-1c']]);
    const armPods = plan.nodeClaims.filter((c: { nodePool: string }) => c.nodePool === 'arm64').flatMap((c: { pods: string[] }) => c.pods);
    expect(armPods.filter((p: string) => p.startsWith('ci/'))).toHaveLength(8);
  });
});

describe('progress', { timeout: 60_000 }, () => {
  it('reports phases on stderr for large inputs only', async () => {
    const large = await run(['plan', '-f', file('pool.yaml', pool), '-f', file('big.yaml', web(600, '100m')), '--no-ledger', '-o', 'json']);
    expect(large.stderr).toMatch(/^karpenter-ts: read 3 objects, 600 pods to place… \(\d+\.\ds\)$/m);
    expect(large.stderr).toMatch(/^karpenter-ts: scheduling 600 pods on 1 NodePools and \d+ instance types…/m);
    expect(large.stderr).toMatch(/^karpenter-ts: planned 600 pods in \d+\.\ds$/m);
    expect(JSON.parse(large.stdout).unschedulable).toEqual([]);
    const small = await run(['plan', '-f', file('pool.yaml', pool), '-f', file('small.yaml', web(3)), '--no-ledger', '-o', 'json']);
    expect(small.stderr).toBe('');
  });
});

describe('existing capacity', { timeout: 60_000 }, () => {
  it('places pods on Nodes from the input before opening NodeClaims', async () => {
    const node = `
apiVersion: v1
kind: Node
metadata:
  name: ip-10-0-1-5.ec2.internal
  labels: { kubernetes.io/arch: amd64, kubernetes.io/os: linux, topology.kubernetes.io/zone: us-east-1a, node.kubernetes.io/instance-type: m5.xlarge }
status:
  capacity: { cpu: "4", memory: 15Gi, pods: "58" }
  allocatable: { cpu: 3920m, memory: 14Gi, pods: "58" }
---
apiVersion: v1
kind: Pod
metadata: { name: running, namespace: shop }
spec:
  nodeName: ip-10-0-1-5.ec2.internal
  containers: [{ name: c, resources: { requests: { cpu: "1", memory: 2Gi } } }]
`;
    const { code, stdout } = await run(['plan', '-f', file('pool.yaml', pool), '-f', file('node.yaml', node), '-f', file('web.yaml', web(8)), '--no-ledger']);
    expect(code).toBe(0);
    // 2.92 free cores hold 5 pods of 500m; the other 3 need a NodeClaim.
    expect(stdout).toMatch(/^Existing: +5 pods fit on existing nodes$/m);
    expect(stdout).toMatch(/^Total: +1 NodeClaims for 3 of 8 pods/m);
  });
});

describe('bad input', { timeout: 60_000 }, () => {
  it('malformed YAML names the file and document, no stack trace', async () => {
    const path = file('bad.yaml', `${pool}---\nkind: Pod\nmetadata: {name: [oops\n`);
    const { code, stderr } = await run(['plan', '-f', path, '--no-ledger']);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^error: ${path}, document 3: malformed YAML at line \\d+`));
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('an invalid quantity names the file, document and field', async () => {
    const path = file('q.yaml', web(1, 'lots'));
    const { code, stderr } = await run(['plan', '-f', file('pool.yaml', pool), '-f', path, '--no-ledger']);
    expect(code).toBe(1);
    expect(stderr).toContain(`${path}, document 1 (Pod shop/web-0)`);
    expect(stderr).toMatch(/resources\.requests\.cpu.*"lots"/);
  });

  it('a bad DaemonSet quantity names its file and document', async () => {
    const ds = file('ds.yaml', `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: ops }
spec: { template: { spec: { containers: [{ name: a, resources: { requests: { memory: 12XB } } }] } } }
`);
    const { code, stderr } = await run(['plan', '-f', file('pool.yaml', pool), '-f', ds, '-f', file('web.yaml', web(1)), '--no-ledger']);
    expect(code).toBe(1);
    expect(stderr).toContain(`${ds}, document 1 (DaemonSet ops/agent)`);
  });

  it('a NodePool whose EC2NodeClass is missing names the reference', async () => {
    const onlyPool = pool.split('---')[0];
    const { code, stderr } = await run(['plan', '-f', file('p.yaml', onlyPool), '-f', file('web.yaml', web(1)), '--no-ledger']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/p\.yaml, document 1 \(NodePool default\): spec\.template\.spec\.nodeClassRef\.name: EC2NodeClass "default" is not in the input/);
  });

  it('unknown kinds are skipped with a warning', async () => {
    const { code, stderr } = await run(['plan', '-f', file('pool.yaml', pool), '-f', file('w.yaml', `${web(1)}---\napiVersion: x/v1\nkind: Gizmo\nmetadata: {name: g}\n`), '--no-ledger']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/warning: skipped 1 object of unknown kind Gizmo \(first at .*w\.yaml, document 2 \(Gizmo g\)\)/);
  });

  it('a bad --prices file and an unknown region are one-line errors', async () => {
    const prices = file('prices.json', '{"onDemand": {"m5.large": "free"}}');
    expect((await run(['plan', '-f', file('pool.yaml', pool), '--prices', prices, '--no-ledger'])).stderr).toMatch(/^error: --prices .*onDemand\.m5\.large: "free" is not a price/);
    expect((await run(['plan', '-f', file('pool.yaml', pool), '--region', 'eu-west-9', '--no-ledger'])).stderr).toMatch(/^error: region eu-west-9 is not in the bundled catalog/);
  });
});

describe('karpenter-ts validate', () => {
  it('prints every problem and exits 1', async () => {
    const broken = pool.replace('operator: In, values: [m5, c5]', 'operator: In').replace('role: KarpenterNodeRole', 'role: ""');
    const { code, stdout } = await run(['validate', '-f', file('broken.yaml', broken)]);
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.some((l) => l.includes('broken.yaml, document 1 (NodePool default)'))).toBe(true);
    expect(lines.some((l) => l.includes('broken.yaml, document 2 (EC2NodeClass default)'))).toBe(true);
  });

  it('exits 0 for valid objects', async () => {
    const { code, stdout } = await run(['validate', '-f', file('pool.yaml', pool)]);
    expect(code).toBe(0);
    expect(stdout).toBe('2 objects valid:\n  NodePool default\n  EC2NodeClass default\n');
  });
});
