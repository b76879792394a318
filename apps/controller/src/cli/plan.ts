import { createHash } from 'node:crypto';
import type { InstanceType } from '@karpenter-ts/api';
import { catalogInstanceTypes, type PriceOverrides } from '@karpenter-ts/aws/catalog';
import {
  formatQuantity,
  lowerBoundPricePerHour,
  schedule,
  type ClusterNode,
  type DaemonSet,
  type NodeClaimPlan,
  type NodePoolLike,
  type Pod,
  type SchedulingInput,
  type SchedulingResult,
} from '@karpenter-ts/solver';
import type { PlannedNodeClaim, PlanSummary, UnschedulablePod } from '../ledger/index.js';
import type { ClusterManifests } from '../manifests/cluster-manifests.js';
import { qualifiedName, type ManifestDocument } from '../manifests/manifest-object.js';
import { describeSource, type ManifestSource } from '../manifests/manifest-source.js';
import { CliError } from './cli-error.js';
import { nodeClassEphemeralStorage, resolveNodePools } from './node-pool-manifests.js';

export interface PlanOptions {
  readonly region: string;
  readonly prices?: PriceOverrides;
  /** Reports each phase on large inputs. */
  readonly progress?: (message: string) => void;
}

/** A NodeClaim of the plan with what the table shows beyond the JSON summary. */
export interface PlanRow {
  readonly claim: PlannedNodeClaim;
  /** Allocatable of the cheapest instance type, canonical units. */
  readonly allocatable: Readonly<Record<string, number>>;
  readonly requestAmounts: Readonly<Record<string, number>>;
}

export interface Plan {
  readonly summary: PlanSummary;
  readonly rows: readonly PlanRow[];
  /** Pods that fit on Nodes given in the input. */
  readonly podsOnExistingNodes: number;
  readonly podCount: number;
  readonly instanceTypeCount: number;
}

/**
 * Plans NodeClaims for the pending pods of the input against the bundled catalog: the offline
 * main job. Throws a CliError naming the file and document for any bad input.
 */
export function plan(manifests: ClusterManifests, options: PlanOptions): Plan {
  const progress = options.progress ?? (() => undefined);
  const { nodePools, nodeClassOf } = resolveNodePools(manifests.nodePools, manifests.nodeClasses);

  const typesByNodeClass = new Map<string, InstanceType[]>();
  const instanceTypes: Record<string, readonly InstanceType[]> = {};
  for (const pool of nodePools) {
    const nodeClass = nodeClassOf.get(pool.metadata?.name ?? '');
    if (!nodeClass) continue;
    const key = nodeClass.metadata?.name ?? '';
    let types = typesByNodeClass.get(key);
    if (!types) {
      progress(`building instance types for EC2NodeClass ${key} in ${options.region}`);
      types = catalogInstanceTypes({
        region: options.region,
        prices: options.prices,
        kubelet: nodeClass.spec.kubelet,
        ephemeralStorage: nodeClassEphemeralStorage(nodeClass),
      });
      typesByNodeClass.set(key, types);
    }
    instanceTypes[pool.metadata?.name ?? ''] = types;
  }

  const sources = new Map<string, ManifestSource>();
  for (const { pod, source } of [...manifests.pendingPods, ...manifests.boundPods]) {
    sources.set(`pod ${pod.metadata.namespace}/${pod.metadata.name}`, source);
  }
  for (const doc of [...manifests.nodePools, ...manifests.nodes]) sources.set(`${doc.object.kind.toLowerCase()} ${doc.object.metadata.name}`, doc.source);
  for (const doc of manifests.daemonSets) sources.set(`daemonset ${qualifiedName(doc.object.metadata, true)}`, doc.source);
  const input: SchedulingInput = {
    pods: manifests.pendingPods.map((p) => p.pod as Pod),
    nodes: existingNodes(manifests),
    nodePools: nodePools as readonly NodePoolLike[],
    instanceTypes,
    daemonSets: manifests.daemonSets.map((d) => d.object as DaemonSet),
    volumeZones: volumeZones(manifests.persistentVolumeClaims, manifests.persistentVolumes),
  };
  const typeCount = new Set(Object.values(instanceTypes).flat().map((t) => t.name)).size;
  progress(`scheduling ${input.pods.length} pods on ${nodePools.length} NodePools and ${typeCount} instance types`);
  const result = schedule(input);
  if (result.problems.length > 0) {
    throw new CliError(
      result.problems
        .map((p) => {
          const source = sources.get(p.object);
          return `${source ? describeSource(source) : p.object}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
        })
        .join('\n'),
    );
  }
  const lowerBound = newCapacityLowerBound(input, result);
  return summarize(result, instanceTypes, lowerBound, input.pods.length, typeCount);
}

/**
 * The fractional-capacity bound of what the total prices: the pods on new NodeClaims, each
 * NodePool's pods at that pool's cheapest rates. So the ratio measures packing waste, not the
 * gap between, say, a spot pool and an on-demand pool the pods chose by weight.
 */
function newCapacityLowerBound(input: SchedulingInput, result: SchedulingResult): number {
  const poolOf = new Map<string, string>();
  for (const claim of result.nodeClaims) for (const p of claim.pods) poolOf.set(`${p.namespace}/${p.name}`, claim.nodePool);
  let bound = 0;
  for (const nodePool of input.nodePools) {
    const name = nodePool.metadata?.name;
    const pods = input.pods.filter((p) => poolOf.get(`${p.metadata?.namespace ?? 'default'}/${p.metadata?.name}`) === name);
    if (pods.length > 0) bound += lowerBoundPricePerHour({ ...input, nodePools: [nodePool], pods });
  }
  return bound;
}

function summarize(
  result: SchedulingResult,
  instanceTypes: Readonly<Record<string, readonly InstanceType[]>>,
  lowerBound: number,
  podCount: number,
  instanceTypeCount: number,
): Plan {
  const rows = result.nodeClaims.map((claim) => planRow(claim, instanceTypes[claim.nodePool] ?? []));
  const unschedulable: UnschedulablePod[] = result.unschedulable.map(({ pod, reasons }) => ({
    pod: `${pod.namespace}/${pod.name}`,
    reasons: reasonsByNodePool(reasons),
  }));
  const summary: PlanSummary = {
    nodeClaims: rows.map((r) => r.claim),
    unschedulable,
    totalPricePerHour: roundPrice(rows.reduce((sum, r) => sum + r.claim.pricePerHour, 0)),
    lowerBoundPricePerHour: roundPrice(lowerBound),
  };
  return {
    summary,
    rows,
    podsOnExistingNodes: result.existingPlacements.reduce((sum, p) => sum + p.pods.length, 0),
    podCount,
    instanceTypeCount,
  };
}

function planRow(claim: NodeClaimPlan, types: readonly InstanceType[]): PlanRow {
  const cheapest = types.find((t) => t.name === claim.instanceTypes[0]?.name);
  // The capacity type is the one of the offering that sets the price.
  const offering = cheapest?.offerings
    .filter((o) => o.available && claim.capacityTypes.includes(o.capacityType) && claim.zones.includes(o.zone))
    .sort((a, b) => a.price - b.price)[0];
  return {
    claim: {
      nodePool: claim.nodePool,
      instanceTypes: claim.instanceTypes.map((t) => t.name),
      capacityType: offering?.capacityType ?? claim.capacityTypes[0] ?? 'on-demand',
      zones: [...claim.zones],
      pods: claim.pods.map((p) => `${p.namespace}/${p.name}`),
      requests: { cpu: formatQuantity(claim.requests.cpu ?? 0, 'cpu'), memory: formatQuantity(claim.requests.memory ?? 0, 'memory') },
      pricePerHour: roundPrice(claim.price),
    },
    allocatable: cheapest?.allocatable ?? {},
    requestAmounts: claim.requests,
  };
}

/** The solver says `nodepool <name>: <why>`; anything not about one NodePool goes under "*". */
function reasonsByNodePool(reasons: readonly string[]): Record<string, string> {
  const byPool: Record<string, string> = {};
  for (const reason of reasons) {
    const match = /^nodepool (\S+): (.*)$/s.exec(reason);
    const [pool, why] = match ? [match[1], match[2]] : ['*', reason];
    byPool[pool] = byPool[pool] ? `${byPool[pool]}; ${why}` : why;
  }
  return byPool;
}

function existingNodes(manifests: ClusterManifests): ClusterNode[] {
  const podsByNode = new Map<string, Pod[]>();
  for (const { pod } of manifests.boundPods) {
    const nodeName = String(pod.spec?.nodeName);
    podsByNode.set(nodeName, [...(podsByNode.get(nodeName) ?? []), pod as Pod]);
  }
  return manifests.nodes.map((doc) => ({ node: doc.object as ClusterNode['node'], pods: podsByNode.get(doc.object.metadata.name ?? '') ?? [] }));
}

const zoneLabels = ['topology.kubernetes.io/zone', 'topology.ebs.csi.aws.com/zone', 'failure-domain.beta.kubernetes.io/zone'];

/** Zones of bound volumes by `namespace/claim`: from the PV's node affinity, else its zone label. */
function volumeZones(claims: readonly ManifestDocument[], volumes: readonly ManifestDocument[]): Record<string, string[]> {
  const zonesOfVolume = new Map<string, string[]>();
  for (const { object } of volumes) {
    const terms = (object.spec?.nodeAffinity as { required?: { nodeSelectorTerms?: { matchExpressions?: { key: string; operator: string; values?: string[] }[] }[] } } | undefined)
      ?.required?.nodeSelectorTerms ?? [];
    const fromAffinity = terms.flatMap((t) => t.matchExpressions ?? []).filter((e) => zoneLabels.includes(e.key) && e.operator === 'In').flatMap((e) => e.values ?? []);
    const fromLabel = zoneLabels.map((l) => object.metadata.labels?.[l]).filter((z): z is string => Boolean(z));
    const zones = [...new Set(fromAffinity.length > 0 ? fromAffinity : fromLabel)];
    if (zones.length > 0) zonesOfVolume.set(object.metadata.name ?? '', zones);
  }
  const result: Record<string, string[]> = {};
  for (const { object } of claims) {
    const volumeName = object.spec?.volumeName;
    const zones = typeof volumeName === 'string' ? zonesOfVolume.get(volumeName) : undefined;
    if (zones) result[`${object.metadata.namespace ?? 'default'}/${object.metadata.name}`] = zones;
  }
  return result;
}

/** sha256 of what a plan depends on, so identical runs can be recognised in the ledger. */
export function planInputDigest(documents: readonly ManifestDocument[], options: PlanOptions): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ region: options.region, prices: options.prices ?? null }));
  for (const { object } of documents) hash.update(JSON.stringify(object));
  return hash.digest('hex');
}

function roundPrice(price: number): number {
  return Math.round(price * 1e6) / 1e6;
}
