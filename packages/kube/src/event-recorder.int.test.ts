import type { CoreV1Event } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMaps, createNamespace, deleteNamespace, kubeFromEnv } from '../test/peers.js';
import { EventRecorder } from './event-recorder.js';
import type { KubeClient } from './kube-client.js';
import { ResourceClient } from './resource-client.js';
import { Resources } from './resources.js';

describe('EventRecorder against a real API server', () => {
  let kube: KubeClient;
  let namespace: string;
  let events: ResourceClient<CoreV1Event>;

  beforeAll(async () => {
    kube = kubeFromEnv();
    namespace = await createNamespace(kube, 'kube-events');
    events = new ResourceClient(kube, Resources.events);
  });
  afterAll(async () => {
    await deleteNamespace(kube, namespace);
    kube.close();
  });

  it('publishes events about an object and folds repeats into a count', async () => {
    const cm = await new ResourceClient(kube, configMaps).create({ metadata: { name: 'subject', namespace } });
    const recorder = new EventRecorder(events, 'karpenter');
    recorder.publish(cm, 'Warning', 'FailedScheduling', 'no NodePool fits');
    await recorder.flush();
    recorder.publish(cm, 'Warning', 'FailedScheduling', 'no NodePool fits');
    recorder.publish(cm, 'Normal', 'Nominated', 'nominated to nodeclaim default-abc');
    await recorder.flush();
    const list = await events.list({ namespace, fieldSelector: `involvedObject.uid=${cm.metadata!.uid}` });
    const byReason = Object.fromEntries(list.items.map((e) => [e.reason, e]));
    expect(Object.keys(byReason).sort()).toEqual(['FailedScheduling', 'Nominated']);
    expect(byReason.FailedScheduling.count).toBe(2);
    expect(byReason.FailedScheduling.type).toBe('Warning');
    expect(byReason.FailedScheduling.involvedObject.name).toBe('subject');
    expect(byReason.Nominated.source?.component).toBe('karpenter');
  });

  it('logs instead of throwing when the event cannot be written', async () => {
    const warnings: string[] = [];
    const recorder = new EventRecorder(events, 'karpenter', { logger: { debug() {}, info() {}, error() {}, warn: (_o, m) => void warnings.push(m) } });
    recorder.publish({ kind: 'Pod', metadata: { name: 'p', namespace: 'no-such-namespace-xyz', uid: 'u1' } }, 'Normal', 'R', 'm');
    await recorder.flush();
    expect(warnings).toEqual(['could not publish event']);
  });
});
