// Small hand-checkable inputs for the solver's unit tests.
import type { CapacityType, InstanceType } from '@karpenter-ts/api';
import type { ClusterNode, NodePoolLike, Pod, PodSpec, SchedulingInput, Taint } from '../src/index.js';

export const GiB = 2 ** 30;
export const zones = ['zone-a', 'zone-b', 'zone-c'];

export interface TypeShape {
  cpu: number;
  memoryGiB: number;
  price: number;
  pods?: number;
  zones?: string[];
  capacityTypes?: CapacityType[];
  extra?: Record<string, number>;
  labels?: Record<string, string>;
  /** Spot price as a fraction of on-demand. */
  spotDiscount?: number;
}

export function instanceType(name: string, shape: TypeShape): InstanceType {
  const resources = { cpu: shape.cpu * 1000, memory: shape.memoryGiB * GiB, pods: shape.pods ?? 110, ...shape.extra };
  const offerings = (shape.capacityTypes ?? ['on-demand', 'spot']).flatMap((capacityType) =>
    (shape.zones ?? zones).map((zone) => ({
      capacityType,
      zone,
      price: capacityType === 'spot' ? shape.price * (shape.spotDiscount ?? 0.7) : shape.price,
      available: true,
    })),
  );
  return {
    name,
    requirements: [
      { key: 'kubernetes.io/arch', operator: 'In', values: [shape.labels?.arch ?? 'amd64'] },
      { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
      { key: 'karpenter.k8s.aws/instance-cpu', operator: 'In', values: [String(shape.cpu)] },
      ...Object.entries(shape.labels ?? {})
        .filter(([k]) => k !== 'arch')
        .map(([key, value]) => ({ key, operator: 'In' as const, values: [value] })),
    ],
    capacity: resources,
    overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
    allocatable: resources,
    offerings,
  };
}

/** 2, 4, 8 and 16 cpu types (2 GiB per cpu) at 0.05 per cpu-hour on demand. */
export function catalog(): InstanceType[] {
  return [2, 4, 8, 16].map((cpu) => instanceType(`m.${cpu}`, { cpu, memoryGiB: cpu * 2, price: cpu * 0.05 }));
}

export interface PoolShape {
  requirements?: NonNullable<NonNullable<NonNullable<NodePoolLike['spec']>['template']>['spec']>['requirements'];
  taints?: Taint[];
  startupTaints?: Taint[];
  weight?: number;
  limits?: Record<string, string>;
  labels?: Record<string, string>;
}

export function nodePool(name: string, shape: PoolShape = {}): NodePoolLike {
  return {
    metadata: { name },
    spec: {
      weight: shape.weight,
      limits: shape.limits,
      template: {
        metadata: { labels: shape.labels },
        spec: { requirements: shape.requirements ?? [], taints: shape.taints, startupTaints: shape.startupTaints },
      },
    },
  };
}

export interface PodShape extends Omit<PodSpec, 'containers'> {
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  namespace?: string;
  annotations?: Record<string, string>;
  extra?: Record<string, string>;
  hostPort?: number;
  containers?: PodSpec['containers'];
  ownerKind?: string;
}

export function pod(name: string, shape: PodShape = {}): Pod {
  const { cpu = '1', memory = '1Gi', labels, namespace = 'default', annotations, extra, hostPort, containers, ownerKind, ...spec } = shape;
  return {
    metadata: {
      name,
      namespace,
      uid: `uid-${name}`,
      labels,
      annotations,
      ownerReferences: ownerKind ? [{ kind: ownerKind, name: 'owner', uid: 'owner' }] : undefined,
    },
    spec: {
      ...spec,
      containers: containers ?? [
        {
          name: 'app',
          resources: { requests: { cpu, memory, ...extra } },
          ports: hostPort ? [{ containerPort: hostPort, hostPort }] : undefined,
        },
      ],
    },
  };
}

export function node(name: string, shape: { cpu: number; memoryGiB: number; labels?: Record<string, string>; taints?: Taint[]; pods?: Pod[] }): ClusterNode {
  return {
    node: {
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...shape.labels } },
      spec: { taints: shape.taints },
      status: {
        allocatable: { cpu: String(shape.cpu), memory: `${shape.memoryGiB}Gi`, pods: '110' },
        capacity: { cpu: String(shape.cpu), memory: `${shape.memoryGiB}Gi`, pods: '110' },
      },
    },
    pods: shape.pods ?? [],
  };
}

export function input(partial: Partial<SchedulingInput> & { pods: Pod[] }): SchedulingInput {
  const nodePools = partial.nodePools ?? [nodePool('default')];
  const instanceTypes = partial.instanceTypes ?? Object.fromEntries(nodePools.map((p) => [p.metadata!.name!, catalog()]));
  return { ...partial, nodePools, instanceTypes };
}

/** Placement summary: pod name → NodeClaim hostname or existing node name. */
export function placements(result: ReturnType<typeof import('../src/index.js').schedule>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const claim of result.nodeClaims) for (const p of claim.pods) out[p.name] = claim.hostname;
  for (const placement of result.existingPlacements) for (const p of placement.pods) out[p.name] = placement.name;
  return out;
}
