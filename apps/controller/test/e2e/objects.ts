import type { EC2NodeClass, NodePool } from '@karpenter-ts/api';
import type { V1Pod } from '@kubernetes/client-node';
import type { AwsFixture } from './aws-fixtures.js';

export function ec2NodeClass(name: string, clusterName: string, aws: AwsFixture, overrides: Partial<EC2NodeClass['spec']> = {}): EC2NodeClass {
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name },
    spec: {
      amiFamily: 'AL2023',
      role: aws.nodeRole,
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': clusterName } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': clusterName } }],
      amiSelectorTerms: [{ id: aws.amiId }],
      ...overrides,
    },
  } as EC2NodeClass;
}

export function nodePool(name: string, nodeClassName: string, requirements: NodePool['spec']['template']['spec']['requirements'] = []): NodePool {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      template: {
        metadata: { labels: { team: 'e2e' } },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: nodeClassName },
          requirements: [
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
            { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: ['c', 'm', 'r'] },
            { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['4'] },
            ...requirements,
          ],
        },
      },
    },
  } as unknown as NodePool;
}

/** A pending pod pinned to one NodePool (other suites' NodePools share the API server). */
export function pod(name: string, namespace: string, pool: string, requests: { cpu: string; memory: string }, extra: { nodeSelector?: Record<string, string> } = {}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name.replace(/-\d+$/, '') } },
    spec: {
      nodeSelector: { 'karpenter.sh/nodepool': pool, ...extra.nodeSelector },
      containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { requests } }],
    },
  };
}
