import type { CoreV1Event } from '@kubernetes/client-node';
import { systemClock, type Clock } from './clock.js';
import { silentLogger, type Logger } from './logger.js';
import type { ResourceClient } from './resource-client.js';
import type { KubeObject } from './resources.js';

export type EventType = 'Normal' | 'Warning';

interface SentEvent {
  readonly name: string;
  readonly namespace: string;
  count: number;
  lastSent: number;
}

/** Repeats of the same event within this window bump the count of one Event instead of creating another. */
const aggregationWindowMs = 10 * 60_000;
const maxRemembered = 4096;

/**
 * Publishes core/v1 Events about objects (what `kubectl describe` shows). Publishing never
 * blocks or throws: a failed write is logged. Identical events (same object, reason and
 * message) within ten minutes are folded into one Event whose count grows.
 */
export class EventRecorder {
  private readonly sent = new Map<string, SentEvent>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly events: ResourceClient<CoreV1Event>,
    private readonly component: string,
    private readonly options: { instance?: string; clock?: Clock; logger?: Logger } = {},
  ) {}

  publish(involved: KubeObject, type: EventType, reason: string, message: string): void {
    const write = this.write(involved, type, reason, message).catch((err) => {
      (this.options.logger ?? silentLogger).warn({ reason, object: involved.metadata?.name, err: String(err) }, 'could not publish event');
    });
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /** Waits for every event published so far to be written (or to have failed). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async write(involved: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const now = (this.options.clock ?? systemClock).now();
    const meta = involved.metadata ?? {};
    const namespace = meta.namespace || 'default';
    const key = `${meta.uid ?? `${namespace}/${meta.name}`}\u0000${type}\u0000${reason}\u0000${message}`;
    const previous = this.sent.get(key);
    if (previous && now.getTime() - previous.lastSent < aggregationWindowMs) {
      previous.count++;
      previous.lastSent = now.getTime();
      try {
        await this.events.patch(previous.name, previous.namespace, { count: previous.count, lastTimestamp: now.toISOString() });
        return;
      } catch {
        this.sent.delete(key); // the Event expired or was deleted: create a new one
      }
    }
    const created = await this.events.create({
      metadata: { generateName: `${meta.name ?? 'object'}.`, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: meta.name,
        namespace: meta.namespace,
        uid: meta.uid,
        resourceVersion: meta.resourceVersion,
      },
      type,
      reason,
      message: message.length > 1024 ? message.slice(0, 1021) + '...' : message,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.options.instance ?? this.component,
    });
    if (this.sent.size >= maxRemembered) this.sent.delete(this.sent.keys().next().value!);
    this.sent.set(key, { name: created.metadata!.name!, namespace, count: 1, lastSent: now.getTime() });
  }
}
