import { describe, expect, it } from 'vitest';
import { customResourceDefinitions } from '../crd/definitions.js';
import { collectRules } from '../crd/structural.js';
import type { NodePool } from '../schema/nodepool.js';
import { compileRule } from './cel.js';
import { ValidationError } from './problem.js';
import { assertValid, validate } from './validate.js';

const nodePool = (spec: Record<string, unknown> = {}, template: Record<string, unknown> = {}) => ({
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodePool',
  metadata: { name: 'default' },
  spec: {
    template: {
      spec: {
        requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }],
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
        ...template,
      },
    },
    ...spec,
  },
});

describe('validate', () => {
  it('accepts a minimal NodePool', () => {
    expect(validate(nodePool())).toEqual([]);
  });

  it('reports every problem, each with its own path', () => {
    const problems = validate(
      nodePool(
        { disruption: { consolidateAfter: 'soon', budgets: [{ nodes: 'all' }, { nodes: '1', duration: '1h' }] } },
        {
          requirements: [
            { key: 'karpenter.sh/capacity-type', operator: 'In' },
            { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['4', '8'] },
          ],
          expireAfter: '1w',
        },
      ),
    );
    expect(problems.map((p) => p.path)).toEqual([
      'spec.template.spec.requirements[0]',
      'spec.template.spec.requirements[1]',
      'spec.template.spec.expireAfter',
      'spec.disruption.consolidateAfter',
      'spec.disruption.budgets[0].nodes',
      'spec.disruption.budgets[1]',
    ]);
  });

  it('reports every schema problem and, like the API server, skips CEL rules after a blocking one', () => {
    const problems = validate(
      nodePool({ weight: '10', disruption: { consolidationPolicy: 'Never', consolidateAfter: 'soon' } }, { taints: [{ key: 'a', effect: 'NoEvict' }] }),
    );
    expect(problems.map((p) => `${p.path} ${p.rule}`).sort()).toEqual([
      ' blocked',
      'spec.disruption.consolidationPolicy enum',
      'spec.template.spec.taints[0].effect enum',
      'spec.weight type',
    ]);
    expect(problems.find((p) => p.path === 'spec.weight')?.message).toContain('must be of type integer, got string (remove the quotes)');
  });

  it('reports unknown fields with a suggestion, as kubectl strict field validation does', () => {
    const problems = validate(nodePool({ Weight: 10 }, { expiresAfter: '1h' }));
    expect(problems).toEqual([
      expect.objectContaining({ path: 'spec.template.spec.expiresAfter', message: expect.stringContaining('did you mean "expireAfter"?') }),
      expect.objectContaining({ path: 'spec.Weight', message: expect.stringContaining('did you mean "weight"?') }),
    ]);
  });

  it('tells a manifest half-way through the v1beta1 → v1 migration where things went', () => {
    const problems = validate(
      nodePool(
        { disruption: { consolidationPolicy: 'WhenUnderutilized', expireAfter: '720h' } },
        { kubelet: { maxPods: 110 }, nodeClassRef: { apiVersion: 'karpenter.k8s.aws/v1beta1', kind: 'EC2NodeClass', name: 'default' } },
      ),
    );
    const messages = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(messages['spec.template.spec.kubelet']).toContain('moved to the EC2NodeClass (spec.kubelet)');
    expect(messages['spec.template.spec.nodeClassRef.apiVersion']).toContain('group: karpenter.k8s.aws');
    expect(messages['spec.disruption.expireAfter']).toContain('moved to spec.template.spec.expireAfter');
    expect(messages['spec.disruption.consolidationPolicy']).toContain('is called WhenEmptyOrUnderutilized');
  });

  it('accepts quantities as integers or strings and rejects malformed ones', () => {
    expect(validate(nodePool({ limits: { cpu: 100, memory: '400Gi', 'nvidia.com/gpu': '4' } }))).toEqual([]);
    expect(validate(nodePool({ limits: { cpu: '100 cores' } }))).toEqual([
      expect.objectContaining({ path: 'spec.limits.cpu', message: expect.stringContaining('must be a quantity such as 500m') }),
    ]);
  });

  it('runs transition rules only when given the stored object', () => {
    const stored = nodePool();
    const changed = nodePool({}, { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'OtherNodeClass', name: 'default' } });
    expect(validate(changed)).toEqual([]);
    expect(validate(changed, { oldObject: stored })).toEqual([
      expect.objectContaining({ path: 'spec.template.spec.nodeClassRef', message: expect.stringContaining('nodeClassRef.kind is immutable') }),
    ]);
    expect(validate(stored, { oldObject: stored })).toEqual([]);
  });

  it('names the kind and version problems before anything else', () => {
    expect(validate({ ...nodePool(), apiVersion: 'karpenter.sh/v1beta1' })[0].message).toContain('migrate the manifest to v1');
    expect(validate({ ...nodePool(), kind: 'Provisioner' })[0].message).toContain('Unsupported kind "Provisioner"');
    expect(validate('NodePool')[0].message).toContain('must be an object');
    expect(validate({ ...nodePool(), metadata: {} })).toEqual([expect.objectContaining({ path: 'metadata.name' })]);
  });

  it('evaluates integers as CEL ints (minValues against the number of values)', () => {
    const requirement = { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m5', 'c5'] };
    expect(validate(nodePool({}, { requirements: [{ ...requirement, minValues: 2 }] }))).toEqual([]);
    expect(validate(nodePool({}, { requirements: [{ ...requirement, minValues: 3 }] }))).toHaveLength(1);
  });
});

describe('assertValid', () => {
  it('returns the object with defaults applied', () => {
    const pool = assertValid<NodePool>(nodePool());
    expect(pool.spec.disruption.consolidationPolicy).toBe('WhenEmptyOrUnderutilized');
  });

  it('throws one error naming the object and listing every problem', () => {
    const attempt = () => assertValid(nodePool({ weight: 0 }, { expireAfter: '1w' }));
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/NodePool "default" is invalid:\n {2}- spec\.weight: .*\n {2}- spec\.template\.spec\.expireAfter: /);
  });
});

describe('the CRD rules offline', () => {
  it('compiles every CEL rule of every CRD', () => {
    const rules = customResourceDefinitions.flatMap(({ crd }) => collectRules(crd.spec.versions[0].schema.openAPIV3Schema));
    for (const { path, rule } of rules) expect(() => compileRule(rule.rule), `${path}: ${rule.rule}`).not.toThrow();
  });
});
