import type { EC2NodeClass, NodeClaim, NodePool } from '@karpenter-ts/api';
import { Labels } from '@karpenter-ts/api';
import { type Clock } from '@karpenter-ts/kube';
import { parseQuantity, formatQuantity } from '@karpenter-ts/solver';
import type { V1Node } from '@kubernetes/client-node';
import { Inject, Injectable } from '@nestjs/common';
import { ClusterState } from '../cluster/cluster-state.js';
import { KubernetesApi } from '../cluster/kubernetes-api.js';
import { findCondition, sameConditions, withCondition } from '../conditions/conditions.js';
import { Metrics } from '../metrics/metrics.js';
import { CLOCK } from '../operator/tokens.js';
import type { Controller } from '../reconcile/reconciler.js';

const nodeClassGroup = 'karpenter.k8s.aws';
const nodeClassKind = 'EC2NodeClass';

/**
 * Keeps each NodePool's status current: `resources` (capacity of its NodeClaims), `nodes`, and
 * the conditions `ValidationSucceeded`, `NodeClassReady` and `Ready`. Provisioning only uses
 * Ready NodePools, so a NodePool whose EC2NodeClass is missing or not ready says why here.
 */
@Injectable()
export class NodePoolStatus implements Controller {
  readonly name = 'nodepool.status';

  constructor(
    @Inject(ClusterState) private readonly state: ClusterState,
    @Inject(KubernetesApi) private readonly api: KubernetesApi,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  watch(enqueue: (key: string) => void): Array<() => void> {
    const forPool = (p: NodePool) => enqueue(p.metadata.name!);
    const forLabelled = (o: NodeClaim | V1Node) => {
      const pool = o.metadata?.labels?.[Labels.nodePool];
      if (pool) enqueue(pool);
    };
    const forNodeClass = (nc: EC2NodeClass) => {
      for (const pool of this.state.nodePools.list((p) => p.spec.template.spec.nodeClassRef.name === nc.metadata.name)) forPool(pool);
    };
    for (const pool of this.state.nodePools.list()) forPool(pool);
    return [
      this.state.nodePools.on({ onAdd: forPool, onUpdate: forPool }),
      this.state.ec2NodeClasses.on({ onAdd: forNodeClass, onUpdate: forNodeClass, onDelete: forNodeClass }),
      this.state.nodeClaims.on({ onAdd: forLabelled, onUpdate: forLabelled, onDelete: forLabelled }),
      this.state.nodes.on({ onAdd: forLabelled, onDelete: forLabelled }),
    ];
  }

  async reconcile(name: string): Promise<void> {
    const pool = this.state.nodePools.get(name);
    if (!pool) return;
    const now = this.clock.now();
    const generation = pool.metadata.generation;
    const ref = pool.spec.template.spec.nodeClassRef;

    let conditions = pool.status?.conditions;
    const refProblem =
      ref.group !== nodeClassGroup || ref.kind !== nodeClassKind
        ? `spec.template.spec.nodeClassRef must reference group ${nodeClassGroup}, kind ${nodeClassKind} (got group ${ref.group}, kind ${ref.kind})`
        : undefined;
    conditions = refProblem
      ? withCondition(conditions, 'ValidationSucceeded', 'False', 'NodeClassRefInvalid', refProblem, now, generation)
      : withCondition(conditions, 'ValidationSucceeded', 'True', 'ValidationSucceeded', '', now, generation);

    const nodeClass = refProblem ? undefined : this.state.ec2NodeClasses.get(ref.name);
    const nodeClassReady = nodeClass ? findCondition(nodeClass.status?.conditions, 'Ready') : undefined;
    if (refProblem) {
      conditions = withCondition(conditions, 'NodeClassReady', 'False', 'NodeClassRefInvalid', refProblem, now, generation);
    } else if (!nodeClass) {
      conditions = withCondition(conditions, 'NodeClassReady', 'False', 'NodeClassNotFound', `EC2NodeClass "${ref.name}" does not exist: create it or fix spec.template.spec.nodeClassRef.name`, now, generation);
    } else if (nodeClass.metadata.deletionTimestamp) {
      conditions = withCondition(conditions, 'NodeClassReady', 'False', 'NodeClassTerminating', `EC2NodeClass "${ref.name}" is being deleted`, now, generation);
    } else if (nodeClassReady?.status !== 'True') {
      const why = nodeClassReady ? nodeClassReady.message || nodeClassReady.reason : 'its status has not been resolved yet';
      conditions = withCondition(conditions, 'NodeClassReady', 'False', 'NodeClassNotReady', `EC2NodeClass "${ref.name}" is not ready: ${why}`, now, generation);
    } else {
      conditions = withCondition(conditions, 'NodeClassReady', 'True', 'NodeClassReady', '', now, generation);
    }
    const failing = conditions.filter((c) => c.type !== 'Ready' && c.status !== 'True');
    conditions = failing.length
      ? withCondition(conditions, 'Ready', 'False', 'NotReady', failing.map((c) => `${c.type}=False: ${c.message}`).join('; '), now, generation)
      : withCondition(conditions, 'Ready', 'True', 'Ready', '', now, generation);

    const resources = this.usage(name);
    const nodes = this.state.nodes.list((n) => n.metadata?.labels?.[Labels.nodePool] === name).length;
    for (const [resource, amount] of Object.entries(resources)) this.metrics.nodePoolUsage.set({ nodepool: name, resource_type: resource }, numeric(amount, resource));
    for (const [resource, amount] of Object.entries(pool.spec.limits ?? {})) this.metrics.nodePoolLimit.set({ nodepool: name, resource_type: resource }, numeric(amount, resource));

    const status = pool.status ?? {};
    if (sameConditions(status.conditions, conditions) && status.nodes === nodes && JSON.stringify(status.resources ?? {}) === JSON.stringify(resources)) return;
    await this.api.nodePools.update(
      name,
      undefined,
      (current) => ({ ...current, status: { ...current.status, resources, nodes, conditions } }),
      { status: true },
    );
  }

  /** Capacity of the NodePool's NodeClaims that are not being deleted, summed per resource, plus the node count. */
  private usage(pool: string): Record<string, string> {
    const totals: Record<string, number> = {};
    for (const claim of this.state.nodeClaims.list((c) => c.metadata.labels?.[Labels.nodePool] === pool && !c.metadata.deletionTimestamp)) {
      for (const [resource, amount] of Object.entries(claim.status?.capacity ?? {})) totals[resource] = (totals[resource] ?? 0) + numeric(amount, resource);
    }
    return Object.fromEntries(Object.entries(totals).sort().map(([resource, amount]) => [resource, formatQuantity(amount, resource)]));
  }
}

function numeric(amount: string | number, resource: string): number {
  try {
    return parseQuantity(amount, resource);
  } catch {
    return 0;
  }
}
