import type { EC2NodeClass } from '@karpenter-ts/api';
import { EventRecorder } from '@karpenter-ts/kube';
import { Inject, Injectable } from '@nestjs/common';
import { ClusterState } from '../cluster/cluster-state.js';
import { KubernetesApi } from '../cluster/kubernetes-api.js';
import { isTrue, sameConditions } from '../conditions/conditions.js';
import type { Logger } from '../operator/logger.js';
import { LOGGER, NODE_CLASS_RESOLVER } from '../operator/tokens.js';
import type { Controller, ReconcileResult } from '../reconcile/reconciler.js';
import type { NodeClassResolver } from './node-class-resolver.js';

export const nodeClassFinalizer = 'karpenter.k8s.aws/termination';
/** Resolved parts (AMIs especially) change without the EC2NodeClass changing: re-resolve this often. */
const refreshMs = 5 * 60_000;
const notReadyRetryMs = 30_000;

/**
 * Resolves each EC2NodeClass (subnets, security groups, AMIs, instance profile) into its status
 * and `Ready` condition; a class that cannot resolve says why in its conditions and is not used.
 * Deleting one waits until no NodeClaim uses it, then cleans up what the cloud side created.
 */
@Injectable()
export class NodeClassStatus implements Controller {
  readonly name = 'nodeclass.status';

  constructor(
    @Inject(ClusterState) private readonly state: ClusterState,
    @Inject(KubernetesApi) private readonly api: KubernetesApi,
    @Inject(NODE_CLASS_RESOLVER) private readonly resolver: NodeClassResolver,
    @Inject(EventRecorder) private readonly events: EventRecorder,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  watch(enqueue: (key: string) => void): Array<() => void> {
    const forClass = (c: EC2NodeClass) => enqueue(c.metadata.name!);
    for (const nodeClass of this.state.ec2NodeClasses.list()) forClass(nodeClass);
    return [
      this.state.ec2NodeClasses.on({ onAdd: forClass, onUpdate: (c, old) => (c.metadata.generation !== old.metadata.generation || c.metadata.deletionTimestamp ? forClass(c) : undefined) }),
      // A deleting class waits for its NodeClaims to go.
      this.state.nodeClaims.on({ onDelete: (claim) => enqueue(claim.spec.nodeClassRef.name) }),
    ];
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const nodeClass = this.state.ec2NodeClasses.get(name);
    if (!nodeClass) return;
    if (nodeClass.metadata.deletionTimestamp) return this.finalize(nodeClass);
    if (!nodeClass.metadata.finalizers?.includes(nodeClassFinalizer)) {
      await this.api.ec2NodeClasses.update(name, undefined, (c) => ({ ...c, metadata: { ...c.metadata, finalizers: [...(c.metadata.finalizers ?? []), nodeClassFinalizer] } }));
    }
    const status = await this.resolver.reconcile(nodeClass);
    const wasReady = isTrue(nodeClass.status?.conditions, 'Ready');
    const ready = isTrue(status.conditions, 'Ready');
    if (JSON.stringify({ ...status, conditions: undefined }) !== JSON.stringify({ ...nodeClass.status, conditions: undefined }) || !sameConditions(status.conditions, nodeClass.status?.conditions)) {
      await this.api.ec2NodeClasses.update(name, undefined, (c) => ({ ...c, status }), { status: true });
    }
    if (wasReady !== ready || !nodeClass.status) {
      const message = status.conditions?.find((c) => c.type === 'Ready')?.message ?? '';
      if (!ready) this.events.publish(nodeClass, 'Warning', 'NodeClassNotReady', `EC2NodeClass ${name} is not ready: ${message}`);
      this.logger.info({ ec2nodeclass: name, ready, message }, 'ec2nodeclass status changed');
    }
    return { requeueAfterMs: ready ? refreshMs : notReadyRetryMs };
  }

  private async finalize(nodeClass: EC2NodeClass): Promise<ReconcileResult | void> {
    const name = nodeClass.metadata.name!;
    if (!nodeClass.metadata.finalizers?.includes(nodeClassFinalizer)) return;
    const users = this.state.nodeClaims.list((c) => c.spec.nodeClassRef.name === name);
    if (users.length) {
      this.events.publish(nodeClass, 'Normal', 'WaitingOnNodeClaimTermination', `waiting on ${users.length} NodeClaim(s) to terminate before deleting EC2NodeClass ${name}`);
      return { requeueAfterMs: 10_000 };
    }
    await this.resolver.finalize(nodeClass);
    await this.api.ec2NodeClasses.update(name, undefined, (c) => ({ ...c, metadata: { ...c.metadata, finalizers: (c.metadata.finalizers ?? []).filter((f) => f !== nodeClassFinalizer) } }));
  }
}
