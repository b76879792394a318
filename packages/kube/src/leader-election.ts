import { microTime, systemClock, type Clock } from './clock.js';
import { isAlreadyExists, isConflict } from './kube-client.js';
import { silentLogger, type Logger } from './logger.js';
import { sleep } from './sleep.js';
import type { ResourceClient } from './resource-client.js';
import type { Lease } from './resources.js';

export interface LeaderElectionOptions {
  readonly namespace: string;
  readonly name: string;
  /** Unique per replica, e.g. the pod name plus a random suffix. */
  readonly identity: string;
  /** How long a lease stays valid without renewal; a standby takes over after it. */
  readonly leaseDurationMs?: number;
  /** The leader gives up leading when it could not renew for this long. */
  readonly renewDeadlineMs?: number;
  /** Pause between attempts to acquire or renew. */
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface LeaderCallbacks {
  /** Called once leadership is acquired; the signal aborts when it is lost or the elector stops. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when leadership held by this replica ends (lost or released). */
  onStoppedLeading?(): void;
  /** Called whenever the observed leader changes. */
  onNewLeader?(identity: string): void;
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, the way kube-controller-manager does it:
 * the holder renews `renewTime` every retry period with an optimistic-concurrency update; a
 * candidate takes the lease over once `renewTime + leaseDurationSeconds` has passed; stopping
 * releases the lease (empty holder) so a standby takes over at its next attempt instead of
 * waiting out the duration.
 */
export class LeaderElector {
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private stopController = new AbortController();
  private leading: AbortController | undefined;
  private observedLeader = '';
  private loop: Promise<void> | undefined;

  constructor(
    private readonly leases: ResourceClient<Lease>,
    private readonly options: LeaderElectionOptions,
  ) {
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    if (this.renewDeadlineMs >= this.leaseDurationMs) throw new Error('leader election: renewDeadline must be shorter than leaseDuration');
  }

  get isLeader(): boolean {
    return this.leading !== undefined;
  }

  get leader(): string {
    return this.observedLeader;
  }

  /** Starts campaigning in the background. */
  start(callbacks: LeaderCallbacks): void {
    if (this.loop) return;
    this.stopController = new AbortController();
    this.loop = this.campaign(callbacks, this.stopController.signal);
  }

  /** Stops campaigning; a leader releases the lease. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
    this.loop = undefined;
  }

  private async campaign(callbacks: LeaderCallbacks, stop: AbortSignal): Promise<void> {
    let lastRenew = 0;
    while (!stop.aborted) {
      let held = false;
      try {
        held = await this.tryAcquireOrRenew(callbacks);
        if (held) lastRenew = this.clock.now().getTime();
      } catch (err) {
        this.logger.warn({ lease: this.options.name, err: String(err) }, 'leader election: lease update failed');
      }
      if (this.leading && !held && this.clock.now().getTime() - lastRenew >= this.renewDeadlineMs) {
        this.logger.error({ lease: this.options.name, identity: this.options.identity }, 'leader election: lost the lease');
        this.endLeading(callbacks);
      } else if (!this.leading && held) {
        this.leading = new AbortController();
        this.logger.info({ lease: this.options.name, identity: this.options.identity }, 'leader election: acquired the lease');
        void Promise.resolve(callbacks.onStartedLeading(this.leading.signal)).catch((err) => {
          this.logger.error({ err: String(err) }, 'leader election: onStartedLeading failed');
        });
      }
      await sleep(this.retryPeriodMs, stop);
    }
    if (this.leading) {
      await this.release().catch((err) => this.logger.warn({ err: String(err) }, 'leader election: release failed'));
      this.endLeading(callbacks);
    }
  }

  private endLeading(callbacks: LeaderCallbacks): void {
    this.leading?.abort();
    this.leading = undefined;
    callbacks.onStoppedLeading?.();
  }

  /** True when this replica holds the lease after the attempt. */
  private async tryAcquireOrRenew(callbacks: LeaderCallbacks): Promise<boolean> {
    const { namespace, name, identity } = this.options;
    const now = this.clock.now();
    const durationSeconds = Math.ceil(this.leaseDurationMs / 1000);
    const lease = await this.leases.get(name, namespace);
    if (!lease) {
      try {
        await this.leases.create({
          metadata: { name, namespace },
          spec: { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
        });
        this.observe(identity, callbacks);
        return true;
      } catch (err) {
        if (isAlreadyExists(err)) return false;
        throw err;
      }
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    this.observe(holder, callbacks);
    const renewedAt = spec.renewTime ? new Date(spec.renewTime).getTime() : 0;
    const expired = renewedAt + (spec.leaseDurationSeconds ?? durationSeconds) * 1000 <= now.getTime();
    if (holder && holder !== identity && !expired) return false;
    const takingOver = holder !== identity;
    lease.spec = {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds: durationSeconds,
      renewTime: microTime(now),
      acquireTime: (takingOver ? microTime(now) : spec.acquireTime),
      leaseTransitions: (spec.leaseTransitions ?? 0) + (takingOver && holder ? 1 : 0),
    };
    try {
      await this.leases.replace(lease);
      this.observe(identity, callbacks);
      return true;
    } catch (err) {
      if (isConflict(err)) return false; // another candidate won this round
      throw err;
    }
  }

  private async release(): Promise<void> {
    const { namespace, name, identity } = this.options;
    await this.leases.update(name, namespace, (lease) => {
      if (lease.spec?.holderIdentity !== identity) return undefined;
      lease.spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.clock.now()) };
      return lease;
    });
  }

  private observe(holder: string, callbacks: LeaderCallbacks): void {
    if (holder === this.observedLeader) return;
    this.observedLeader = holder;
    if (holder) callbacks.onNewLeader?.(holder);
  }
}
