import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, deleteNamespace, kubeFromEnv, waitFor } from '../test/peers.js';
import type { KubeClient } from './kube-client.js';
import { LeaderElector } from './leader-election.js';
import { ResourceClient } from './resource-client.js';
import { Resources, type Lease } from './resources.js';

describe('LeaderElector against a real API server', () => {
  let kube: KubeClient;
  let namespace: string;
  let leases: ResourceClient<Lease>;

  beforeAll(async () => {
    kube = kubeFromEnv();
    namespace = await createNamespace(kube, 'kube-lease');
    leases = new ResourceClient(kube, Resources.leases);
  });
  afterAll(async () => {
    await deleteNamespace(kube, namespace);
    kube.close();
  });

  function candidate(name: string, identity: string, log: string[]) {
    const elector = new LeaderElector(leases, { namespace, name, identity, leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 200 });
    elector.start({
      onStartedLeading: () => void log.push(`${identity} leads`),
      onStoppedLeading: () => void log.push(`${identity} stops`),
    });
    return elector;
  }

  it('elects exactly one leader, and a release hands over at the next attempt', async () => {
    const log: string[] = [];
    const a = candidate('release', 'a', log);
    const b = candidate('release', 'b', log);
    await waitFor('a leader', () => a.isLeader || b.isLeader);
    await new Promise((r) => setTimeout(r, 1000)); // several renew rounds: still exactly one
    expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
    const [leader, standby] = a.isLeader ? [a, b] : [b, a];

    const stoppedAt = Date.now();
    await leader.stop();
    await waitFor('the standby to lead', () => standby.isLeader);
    expect(Date.now() - stoppedAt).toBeLessThan(1500); // far sooner than the 3 s lease duration
    const lease = await leases.get('release', namespace);
    expect(lease?.spec?.holderIdentity).toBe(standby === a ? 'a' : 'b');
    expect(lease?.spec?.leaseTransitions).toBe(0); // a release is not a takeover
    await standby.stop();
    expect(log.filter((l) => l.endsWith('leads'))).toHaveLength(2);
  });

  it('takes over a lease whose holder vanished once it expires', async () => {
    const now = new Date();
    await leases.create({
      metadata: { name: 'crashed', namespace },
      spec: { holderIdentity: 'dead-replica', leaseDurationSeconds: 2, renewTime: now.toISOString().replace('Z', '000Z'), leaseTransitions: 3 },
    });
    const log: string[] = [];
    const b = candidate('crashed', 'b', log);
    await new Promise((r) => setTimeout(r, 1000));
    expect(b.isLeader).toBe(false); // the dead holder's lease is still valid
    expect(b.leader).toBe('dead-replica');
    await waitFor('takeover', () => b.isLeader, 5000);
    const lease = await leases.get('crashed', namespace);
    expect(lease?.spec?.holderIdentity).toBe('b');
    expect(lease?.spec?.leaseTransitions).toBe(4);
    await b.stop();
    expect(log).toEqual(['b leads', 'b stops']);
  });

  it('stops leading when the lease is taken from it', async () => {
    const log: string[] = [];
    const a = candidate('stolen', 'a', log);
    await waitFor('a to lead', () => a.isLeader);
    // Someone else writes the lease with a long duration (e.g. a partitioned replica's view).
    await leases.update('stolen', namespace, (l) => ({ ...l, spec: { ...l.spec, holderIdentity: 'intruder', leaseDurationSeconds: 60 } }));
    await waitFor('a to step down', () => !a.isLeader, 5000);
    expect(log).toEqual(['a leads', 'a stops']);
    await a.stop();
  });
});
