import type { CloudProvider, NodeClaim } from '@karpenter-ts/api';
import { CreateError, Finalizers, isInsufficientCapacityError, isNodeClaimNotFoundError, Labels, NodeClaimConditionTypes, NodeClassNotReadyError } from '@karpenter-ts/api';
import { EventRecorder, type Clock } from '@karpenter-ts/kube';
import type { V1Node } from '@kubernetes/client-node';
import { Inject, Injectable } from '@nestjs/common';
import { ClusterState } from '../../cluster/cluster-state.js';
import { KubernetesApi } from '../../cluster/kubernetes-api.js';
import { isTrue, withCondition } from '../../conditions/conditions.js';
import type { Ledger } from '../../ledger/index.js';
import { Metrics } from '../../metrics/metrics.js';
import type { Logger } from '../../operator/logger.js';
import { CLOCK, CLOUD_PROVIDER, LEDGER, LOGGER } from '../../operator/tokens.js';
import type { Controller, ReconcileResult } from '../../reconcile/reconciler.js';
import { errorText } from '../../reconcile/reconcile-loop.js';
import { nodePoolOf, timeOf } from '../nodeclaim-names.js';
import { notInitializedReason, registeredNode } from './node-sync.js';

export const launchTimeoutMs = 5 * 60_000;
export const registrationTimeoutMs = 15 * 60_000;
const { launched: Launched, registered: Registered, initialized: Initialized, ready: Ready } = NodeClaimConditionTypes;

/**
 * Takes a NodeClaim from creation to an initialized Node, and tears it down when deleted:
 *
 * 1. Launch: CloudProvider.create, then labels + status (providerID, imageID, capacity,
 *    allocatable) and `Launched`. Out of capacity → the NodeClaim is deleted so provisioning
 *    picks another offering; not launched within 5 minutes → deleted.
 * 2. Registration: the Node with that providerID joined → labels/taints synced, unregistered
 *    taint removed, `Registered`; no Node within 15 minutes of launch → deleted.
 * 3. Initialization: Node Ready, startup taints gone, extended resources present →
 *    label `karpenter.sh/initialized=true`, `Initialized` and `Ready`.
 * 4. Deletion (finalizer `karpenter.sh/termination`): the Node is removed, the instance
 *    terminated, then the finalizer released.
 */
@Injectable()
export class NodeClaimLifecycle implements Controller {
  readonly name = 'nodeclaim.lifecycle';
  /** Instances launched for a NodeClaim but not yet recorded on it: found at leader start (the previous leader died mid-launch) or launched by a pass whose status write failed. */
  private readonly unrecordedLaunches = new Map<string, NodeClaim>();

  constructor(
    @Inject(ClusterState) private readonly state: ClusterState,
    @Inject(KubernetesApi) private readonly api: KubernetesApi,
    @Inject(CLOUD_PROVIDER) private readonly cloud: CloudProvider,
    @Inject(EventRecorder) private readonly events: EventRecorder,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Remembers cloud instances not yet recorded on their NodeClaim, so a restarted controller adopts them instead of launching twice. */
  async findUnrecordedLaunches(): Promise<void> {
    const recorded = new Set(this.state.nodeClaims.list().map((c) => c.status?.providerID).filter(Boolean));
    for (const instance of await this.cloud.list()) {
      const owner = instance.metadata.labels?.['karpenter.sh/nodeclaim'] ?? instance.metadata.name;
      if (owner && instance.status?.providerID && !recorded.has(instance.status.providerID)) this.unrecordedLaunches.set(owner, instance);
    }
  }

  watch(enqueue: (key: string) => void): Array<() => void> {
    const forNodeClaim = (c: NodeClaim) => enqueue(c.metadata.name!);
    const forNode = (node: V1Node) => {
      const providerID = node.spec?.providerID;
      const owner = providerID ? this.state.nodeClaimByProviderID(providerID) : undefined;
      if (owner) enqueue(owner.metadata.name!);
    };
    for (const nodeClaim of this.state.nodeClaims.list()) forNodeClaim(nodeClaim);
    return [this.state.nodeClaims.on({ onAdd: forNodeClaim, onUpdate: forNodeClaim }), this.state.nodes.on({ onAdd: forNode, onUpdate: forNode })];
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const nodeClaim = this.state.nodeClaims.get(name);
    if (!nodeClaim) return;
    if (nodeClaim.metadata.deletionTimestamp) return this.finalize(nodeClaim);
    if (!nodeClaim.metadata.finalizers?.includes(Finalizers.termination)) {
      await this.api.nodeClaims.update(name, undefined, (c) => ({ ...c, metadata: { ...c.metadata, finalizers: [...(c.metadata.finalizers ?? []), Finalizers.termination] } }));
      return;
    }
    const conditions = nodeClaim.status?.conditions;
    if (!isTrue(conditions, Launched)) return this.launch(nodeClaim);
    if (!isTrue(conditions, Registered)) return this.register(nodeClaim);
    if (!isTrue(conditions, Initialized)) return this.initialize(nodeClaim);
  }

  private async launch(nodeClaim: NodeClaim): Promise<ReconcileResult | void> {
    const name = nodeClaim.metadata.name!;
    const age = this.clock.now().getTime() - timeOf(nodeClaim.metadata.creationTimestamp);
    if (age > launchTimeoutMs) {
      return this.remove(nodeClaim, 'LaunchTimeout', `not launched within ${launchTimeoutMs / 60_000} minutes`, 'launch_timeout');
    }
    // The cache may lag behind this controller's own last write: launching is the one step that
    // must not repeat, so confirm with the API server first.
    const fresh = await this.api.nodeClaims.get(name);
    if (!fresh || fresh.metadata.deletionTimestamp || isTrue(fresh.status?.conditions, Launched)) return;
    let launched = this.unrecordedLaunches.get(name);
    if (launched) {
      this.logger.info({ nodeclaim: name, instance: launched.status?.providerID }, 'adopting an instance launched before a restart');
    } else {
      try {
        launched = await this.cloud.create(nodeClaim);
      } catch (err) {
        return this.launchFailed(nodeClaim, err, launchTimeoutMs - age);
      }
      // Until it is recorded on the NodeClaim, a retry after a failed write must adopt this instance, not launch another.
      this.unrecordedLaunches.set(name, launched);
    }
    const labels = { ...launched.metadata.labels, ...nodeClaim.metadata.labels };
    delete labels['karpenter.sh/nodeclaim'];
    await this.api.nodeClaims.update(name, undefined, (c) => ({ ...c, metadata: { ...c.metadata, labels: { ...labels, ...c.metadata.labels } } }));
    const now = this.clock.now();
    await this.api.nodeClaims.update(
      name,
      undefined,
      (c) => ({
        ...c,
        status: {
          ...c.status,
          providerID: launched.status?.providerID,
          imageID: launched.status?.imageID,
          capacity: launched.status?.capacity,
          allocatable: launched.status?.allocatable,
          conditions: withCondition(c.status?.conditions, Launched, 'True', Launched, '', now),
        },
      }),
      { status: true },
    );
    this.unrecordedLaunches.delete(name);
    const nodePool = nodePoolOf(nodeClaim);
    this.metrics.nodeClaimsLaunched.inc({ nodepool: nodePool });
    this.logger.info(
      { nodeclaim: name, nodepool: nodePool, instance: launched.status?.providerID, 'instance-type': labels[Labels.instanceType], zone: labels[Labels.zone], 'capacity-type': labels[Labels.capacityType] },
      'launched nodeclaim',
    );
    await this.record({
      action: 'launch',
      reason: 'Provisioning',
      nodePool,
      nodeClaim: name,
      instanceType: labels[Labels.instanceType],
      capacityType: labels[Labels.capacityType],
      zone: labels[Labels.zone],
      detail: { providerID: launched.status?.providerID, imageID: launched.status?.imageID },
    });
    return { requeueAfterMs: registrationTimeoutMs };
  }

  private async launchFailed(nodeClaim: NodeClaim, err: unknown, remainingMs: number): Promise<ReconcileResult | void> {
    const name = nodeClaim.metadata.name!;
    if (isInsufficientCapacityError(err)) {
      // The provider marked those offerings unavailable; provisioning re-solves the pods with the rest.
      this.events.publish(nodeClaim, 'Warning', 'InsufficientCapacityError', `NodeClaim ${name} event: ${err.message}`);
      return this.remove(nodeClaim, 'InsufficientCapacity', err.message, 'insufficient_capacity');
    }
    const reason = err instanceof NodeClassNotReadyError ? 'NodeClassNotReady' : err instanceof CreateError ? err.reason : 'LaunchFailed';
    const message = errorText(err);
    this.events.publish(nodeClaim, 'Warning', reason, `launching NodeClaim ${name}: ${message}`);
    await this.setCondition(name, Launched, 'False', reason, message);
    this.logger.warn({ nodeclaim: name, nodepool: nodePoolOf(nodeClaim), reason, err: message }, 'launch failed, will retry');
    return { requeueAfterMs: Math.max(1000, Math.min(remainingMs, err instanceof NodeClassNotReadyError ? 10_000 : 30_000)) };
  }

  private async register(nodeClaim: NodeClaim): Promise<ReconcileResult | void> {
    const name = nodeClaim.metadata.name!;
    const providerID = nodeClaim.status?.providerID ?? '';
    const node = this.state.nodeByProviderID(providerID);
    if (!node) {
      const launchedAt = timeOf(nodeClaim.status?.conditions?.find((c) => c.type === Launched)?.lastTransitionTime);
      const waited = this.clock.now().getTime() - launchedAt;
      if (waited > registrationTimeoutMs) {
        return this.remove(nodeClaim, 'RegistrationTimeout', `no Node with providerID ${providerID} registered within ${registrationTimeoutMs / 60_000} minutes`, 'registration_timeout');
      }
      return { requeueAfterMs: registrationTimeoutMs - waited }; // the Node's arrival enqueues this NodeClaim earlier
    }
    const nodeName = node.metadata!.name!;
    await this.api.nodes.update(nodeName, undefined, (current) => registeredNode(current, nodeClaim));
    await this.api.nodeClaims.update(
      name,
      undefined,
      (c) => ({ ...c, status: { ...c.status, nodeName, conditions: withCondition(c.status?.conditions, Registered, 'True', Registered, '', this.clock.now()) } }),
      { status: true },
    );
    const nodePool = nodePoolOf(nodeClaim);
    this.metrics.nodeClaimsRegistered.inc({ nodepool: nodePool });
    this.metrics.nodesCreated.inc({ nodepool: nodePool });
    this.logger.info({ nodeclaim: name, nodepool: nodePool, node: nodeName }, 'registered nodeclaim');
  }

  private async initialize(nodeClaim: NodeClaim): Promise<ReconcileResult | void> {
    const name = nodeClaim.metadata.name!;
    const node = this.state.nodeByProviderID(nodeClaim.status?.providerID ?? '');
    if (!node) return; // the Node was deleted: garbage collection handles the NodeClaim
    const waiting = notInitializedReason(node, nodeClaim);
    if (waiting) {
      await this.setCondition(name, Initialized, 'Unknown', 'NotInitialized', waiting);
      return; // Node updates enqueue this NodeClaim again
    }
    await this.api.nodes.update(node.metadata!.name!, undefined, (n) =>
      n.metadata?.labels?.[Labels.initialized] === 'true' ? undefined : { ...n, metadata: { ...n.metadata, labels: { ...n.metadata?.labels, [Labels.initialized]: 'true' } } },
    );
    const now = this.clock.now();
    await this.api.nodeClaims.update(
      name,
      undefined,
      (c) => ({
        ...c,
        status: { ...c.status, conditions: withCondition(withCondition(c.status?.conditions, Initialized, 'True', Initialized, '', now), Ready, 'True', Ready, '', now) },
      }),
      { status: true },
    );
    this.metrics.nodeClaimsInitialized.inc({ nodepool: nodePoolOf(nodeClaim) });
    this.logger.info({ nodeclaim: name, nodepool: nodePoolOf(nodeClaim), node: node.metadata!.name }, 'initialized nodeclaim');
  }

  /** The finalizer: remove the Node, terminate the instance, then let the NodeClaim go. */
  private async finalize(nodeClaim: NodeClaim): Promise<ReconcileResult | void> {
    const name = nodeClaim.metadata.name!;
    if (!nodeClaim.metadata.finalizers?.includes(Finalizers.termination)) return;
    const providerID = nodeClaim.status?.providerID;
    const nodePool = nodePoolOf(nodeClaim);
    const node = providerID ? this.state.nodeByProviderID(providerID) : undefined;
    if (node && (await this.api.nodes.delete(node.metadata!.name!, undefined, { uid: node.metadata!.uid }))) {
      this.metrics.nodesTerminated.inc({ nodepool: nodePool });
    }
    if (providerID && !isTrue(nodeClaim.status?.conditions, NodeClaimConditionTypes.instanceTerminating)) {
      await this.setCondition(name, NodeClaimConditionTypes.instanceTerminating, 'True', 'InstanceTerminating', '');
    }
    // Also without a providerID: an instance may have been launched for it and not recorded yet;
    // the provider finds it by the NodeClaim's name tag.
    try {
      await this.cloud.delete(nodeClaim);
    } catch (err) {
      if (!isNodeClaimNotFoundError(err)) throw err;
    }
    this.unrecordedLaunches.delete(name);
    await this.api.nodeClaims.update(name, undefined, (c) =>
      c.metadata.finalizers?.includes(Finalizers.termination)
        ? { ...c, metadata: { ...c.metadata, finalizers: c.metadata.finalizers.filter((f) => f !== Finalizers.termination) } }
        : undefined,
    );
    this.metrics.nodeClaimsTerminated.inc({ reason: 'deleted', nodepool: nodePool });
    this.logger.info({ nodeclaim: name, nodepool: nodePool, instance: providerID }, 'deleted nodeclaim');
  }

  private async remove(nodeClaim: NodeClaim, reason: string, message: string, metricReason: string): Promise<void> {
    const name = nodeClaim.metadata.name!;
    this.logger.warn({ nodeclaim: name, nodepool: nodePoolOf(nodeClaim), reason, message }, 'deleting nodeclaim');
    this.events.publish(nodeClaim, 'Warning', reason, `deleting NodeClaim ${name}: ${message}`);
    await this.record({ action: 'delete', reason, nodePool: nodePoolOf(nodeClaim), nodeClaim: name, detail: { message } });
    if (await this.api.nodeClaims.delete(name, undefined, { uid: nodeClaim.metadata.uid })) {
      this.metrics.nodeClaimsTerminated.inc({ reason: metricReason, nodepool: nodePoolOf(nodeClaim) });
    }
  }

  private async setCondition(name: string, type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string): Promise<void> {
    await this.api.nodeClaims.update(
      name,
      undefined,
      (c) => {
        const current = c.status?.conditions?.find((x) => x.type === type);
        if (current && current.status === status && current.reason === reason && current.message === message) return undefined;
        return { ...c, status: { ...c.status, conditions: withCondition(c.status?.conditions, type, status, reason, message, this.clock.now()) } };
      },
      { status: true },
    );
  }

  private async record(decision: Parameters<Ledger['recordDecision']>[0]): Promise<void> {
    try {
      await this.ledger.recordDecision(decision);
    } catch (err) {
      this.logger.error({ nodeclaim: decision.nodeClaim, err: errorText(err) }, 'could not write the decision to the ledger');
    }
  }
}
