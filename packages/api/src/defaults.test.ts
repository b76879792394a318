import { describe, expect, expectTypeOf, it } from 'vitest';
import { withDefaults } from './defaults.js';
import type { NodeSelectorRequirement } from './requirement.js';
import type { EC2NodeClass } from './schema/ec2nodeclass.js';
import type { NodePool } from './schema/nodepool.js';
import type { NodeSelectorRequirementWithMinValues } from './schema/requirement.js';

const minimalNodePool = {
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodePool',
  metadata: { name: 'default' },
  spec: {
    template: {
      spec: {
        requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }],
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
      },
    },
  },
} as unknown as NodePool;

const minimalNodeClass = {
  apiVersion: 'karpenter.k8s.aws/v1',
  kind: 'EC2NodeClass',
  metadata: { name: 'default' },
  spec: {
    role: 'KarpenterNodeRole-demo',
    amiSelectorTerms: [{ alias: 'al2023@latest' }],
    subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'demo' } }],
    securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'demo' } }],
  },
} as unknown as EC2NodeClass;

describe('withDefaults', () => {
  it('applies the NodePool defaults the API server applies', () => {
    const pool = withDefaults(minimalNodePool);
    expect(pool.spec.disruption).toEqual({
      consolidateAfter: '0s',
      consolidationPolicy: 'WhenEmptyOrUnderutilized',
      budgets: [{ nodes: '10%' }],
    });
    expect(pool.spec.template.spec.expireAfter).toBe('720h');
    expect(pool.spec.weight).toBeUndefined();
  });

  it('keeps what the user set and fills only what is missing', () => {
    const pool = withDefaults({
      ...minimalNodePool,
      spec: {
        ...minimalNodePool.spec,
        disruption: { consolidationPolicy: 'WhenEmpty', budgets: [{ nodes: '5', reasons: ['Empty'] }, {}] },
      },
    } as unknown as NodePool);
    expect(pool.spec.disruption).toEqual({
      consolidateAfter: '0s',
      consolidationPolicy: 'WhenEmpty',
      budgets: [{ nodes: '5', reasons: ['Empty'] }, { nodes: '10%' }],
    });
  });

  it('keeps an explicitly empty budget list (no budgets means no limit)', () => {
    const pool = withDefaults({
      ...minimalNodePool,
      spec: { ...minimalNodePool.spec, disruption: { budgets: [] } },
    } as unknown as NodePool);
    expect(pool.spec.disruption.budgets).toEqual([]);
  });

  it('applies the EC2NodeClass metadataOptions defaults', () => {
    expect(withDefaults(minimalNodeClass).spec.metadataOptions).toEqual({
      httpEndpoint: 'enabled',
      httpProtocolIPv6: 'disabled',
      httpPutResponseHopLimit: 1,
      httpTokens: 'required',
    });
    const partial = withDefaults({
      ...minimalNodeClass,
      spec: { ...minimalNodeClass.spec, metadataOptions: { httpPutResponseHopLimit: 2 } },
    } as unknown as EC2NodeClass);
    expect(partial.spec.metadataOptions).toEqual({
      httpEndpoint: 'enabled',
      httpProtocolIPv6: 'disabled',
      httpPutResponseHopLimit: 2,
      httpTokens: 'required',
    });
  });

  it('drops null fields and map entries like the API server, then defaults them', () => {
    const nodeClass = withDefaults({
      ...minimalNodeClass,
      spec: { ...minimalNodeClass.spec, metadataOptions: null, tags: { team: 'a', owner: null } },
    } as unknown as EC2NodeClass);
    expect(nodeClass.spec.metadataOptions.httpTokens).toBe('required');
    expect(nodeClass.spec.tags).toEqual({ team: 'a' });
  });

  it('does not modify its input', () => {
    const input = structuredClone(minimalNodePool);
    withDefaults(input);
    expect(input).toEqual(minimalNodePool);
  });

  it('rejects kinds it does not know', () => {
    expect(() => withDefaults({ kind: 'Pod' })).toThrow(/unknown kind "Pod"/);
  });

  it('keeps the schema requirement type interchangeable with NodeSelectorRequirement', () => {
    expectTypeOf<NodeSelectorRequirementWithMinValues>().toExtend<NodeSelectorRequirement>();
    expectTypeOf<NodeSelectorRequirement['operator']>().toEqualTypeOf<NodeSelectorRequirementWithMinValues['operator']>();
  });
});
