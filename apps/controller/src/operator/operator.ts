import { EventRecorder, LeaderElector } from '@karpenter-ts/kube';
import { Inject, Injectable } from '@nestjs/common';
import { ClusterState } from '../cluster/cluster-state.js';
import { KubernetesApi } from '../cluster/kubernetes-api.js';
import { HttpEndpoint } from '../health/http-endpoint.js';
import type { Ledger } from '../ledger/index.js';
import { Metrics } from '../metrics/metrics.js';
import { NodeClaimGarbageCollection } from '../nodeclaim/garbage-collection/nodeclaim-garbage-collection.js';
import { NodeClaimLifecycle } from '../nodeclaim/lifecycle/nodeclaim-lifecycle.js';
import { NodeClassStatus } from '../nodeclass/nodeclass-status.js';
import { NodePoolStatus } from '../nodepool/nodepool-status.js';
import { Provisioner } from '../provisioning/provisioner.js';
import { errorText, ReconcileLoop } from '../reconcile/reconcile-loop.js';
import type { Controller } from '../reconcile/reconciler.js';
import type { Settings } from '../settings/settings.js';
import type { Logger } from './logger.js';
import { CLOCK, LEDGER, LOGGER, SETTINGS } from './tokens.js';
import type { Clock } from '@karpenter-ts/kube';

export interface OperatorPorts {
  readonly metrics: number;
  readonly health: number;
}

/**
 * Runs the controller: serves /metrics, /healthz and /readyz, fills the caches, campaigns for
 * the leader lease and, while leading, runs provisioning, the NodeClaim lifecycle, garbage
 * collection and the NodePool / EC2NodeClass status controllers. Only the leader writes.
 */
@Injectable()
export class Operator {
  private readonly loops: ReconcileLoop[] = [];
  private readonly unsubscribe: Array<() => void> = [];
  private readonly metricsEndpoint: HttpEndpoint;
  private readonly healthEndpoint: HttpEndpoint;
  private elector: LeaderElector | undefined;
  private leading: Promise<unknown> | undefined;
  private leadingAbort: AbortController | undefined;
  private leadershipLost: (() => void) | undefined;
  private started = false;
  private stopping = false;

  constructor(
    @Inject(SETTINGS) private readonly settings: Settings,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(ClusterState) readonly state: ClusterState,
    @Inject(KubernetesApi) private readonly api: KubernetesApi,
    @Inject(Metrics) readonly metrics: Metrics,
    @Inject(EventRecorder) private readonly events: EventRecorder,
    @Inject(Provisioner) readonly provisioner: Provisioner,
    @Inject(NodeClaimLifecycle) readonly lifecycle: NodeClaimLifecycle,
    @Inject(NodeClaimGarbageCollection) readonly garbageCollection: NodeClaimGarbageCollection,
    @Inject(NodePoolStatus) private readonly nodePoolStatus: NodePoolStatus,
    @Inject(NodeClassStatus) private readonly nodeClassStatus: NodeClassStatus,
  ) {
    this.metricsEndpoint = new HttpEndpoint({
      '/metrics': async () => ({ status: 200, body: await this.metrics.registry.metrics(), contentType: this.metrics.registry.contentType }),
    });
    this.healthEndpoint = new HttpEndpoint({
      '/healthz': async () => ({ status: 200, body: 'ok\n' }),
      '/readyz': async () => (this.state.synced ? { status: 200, body: 'ok\n' } : { status: 503, body: 'caches not synced\n' }),
    });
  }

  /** Called when this replica loses the lease; main exits so a fresh process campaigns again. */
  onLeadershipLost(callback: () => void): void {
    this.leadershipLost = callback;
  }

  async start(): Promise<OperatorPorts> {
    const ports = {
      metrics: await this.metricsEndpoint.listen(this.settings.metricsPort),
      health: await this.healthEndpoint.listen(this.settings.healthProbePort),
    };
    await this.state.start();
    this.started = true;
    this.logger.info({ ...ports, cluster: this.settings.clusterName }, 'caches synced');
    const { leaderElection } = this.settings;
    if (!leaderElection.enabled) {
      this.lead();
      return ports;
    }
    this.elector = new LeaderElector(this.api.leases, {
      namespace: leaderElection.namespace,
      name: leaderElection.name,
      identity: leaderElection.identity,
      clock: this.clock,
      logger: this.logger,
    });
    this.elector.start({
      onStartedLeading: (signal) => this.lead(signal),
      onStoppedLeading: () => {
        this.metrics.leader.set(0);
        if (this.stopping) return;
        void this.stopLeading().then(() => this.leadershipLost?.());
      },
      onNewLeader: (identity) => this.logger.info({ leader: identity }, 'observed leader'),
    });
    return ports;
  }

  private lead(lease?: AbortSignal): void {
    if (this.leading) return;
    const abort = new AbortController();
    lease?.addEventListener('abort', () => abort.abort(), { once: true });
    this.leadingAbort = abort;
    const signal = abort.signal;
    this.metrics.leader.set(1);
    this.logger.info({ identity: this.settings.leaderElection.identity }, 'leading: starting controllers');
    this.leading = this.runControllers(signal).catch((err) => this.logger.error({ err: errorText(err) }, 'controllers failed'));
  }

  private async runControllers(signal: AbortSignal): Promise<void> {
    await this.lifecycle.findUnrecordedLaunches().catch((err) => this.logger.error({ err: errorText(err) }, 'could not list instances to adopt'));
    if (signal.aborted) return;
    const controllers: Controller[] = [this.nodeClassStatus, this.nodePoolStatus, this.lifecycle];
    for (const controller of controllers) {
      const loop = new ReconcileLoop(controller, { logger: this.logger, onResult: this.metrics.observeReconcile, concurrency: controller === this.lifecycle ? 50 : 10 });
      this.loops.push(loop);
      this.unsubscribe.push(...controller.watch((key) => loop.enqueue(key)));
    }
    await Promise.all([this.provisioner.run(signal), this.garbageCollection.run(signal)]);
  }

  private async stopLeading(): Promise<void> {
    this.leadingAbort?.abort();
    for (const off of this.unsubscribe.splice(0)) off();
    await Promise.all(this.loops.splice(0).map((loop) => loop.stop()));
    await this.leading;
    this.leading = undefined;
  }

  /** Graceful stop: release the lease, stop the controllers and caches, flush events, close the ledger and servers. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.stopLeading();
    await this.elector?.stop();
    if (this.started) await this.state.stop();
    await this.events.flush();
    await Promise.all([this.metricsEndpoint.close(), this.healthEndpoint.close()]);
    await this.ledger.close();
    this.logger.info({}, 'stopped');
  }
}
