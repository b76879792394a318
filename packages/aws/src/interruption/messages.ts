/** An EC2 event delivered by EventBridge to the interruption queue, reduced to what the controller acts on. */
export type InterruptionEvent =
  | { readonly kind: 'SpotInterruption'; readonly instanceIds: readonly string[]; readonly time: string; readonly eventId: string }
  | { readonly kind: 'RebalanceRecommendation'; readonly instanceIds: readonly string[]; readonly time: string; readonly eventId: string }
  | { readonly kind: 'ScheduledChange'; readonly instanceIds: readonly string[]; readonly time: string; readonly eventId: string }
  | {
      readonly kind: 'StateChange';
      readonly instanceIds: readonly string[];
      readonly state: string;
      readonly time: string;
      readonly eventId: string;
    };

export type InterruptionEventKind = InterruptionEvent['kind'];

/** States of an `EC2 Instance State-change Notification` that mean the node is going away. */
export const DISRUPTIVE_STATES: ReadonlySet<string> = new Set(['stopping', 'stopped', 'shutting-down', 'terminated']);

/** A message body that is not one of the four EventBridge events the queue is for. */
export class UnparseableMessageError extends Error {
  constructor(reason: string) {
    super(`interruption message not understood: ${reason}`);
    this.name = 'UnparseableMessageError';
  }
}

interface Envelope {
  readonly id?: unknown;
  readonly source?: unknown;
  readonly 'detail-type'?: unknown;
  readonly time?: unknown;
  readonly detail?: unknown;
}

/**
 * Parses one SQS message body (an EventBridge envelope) into a typed event.
 * Throws {@link UnparseableMessageError} when the body is not JSON, not an envelope, or an event of another kind.
 *
 * @example
 * parseInterruptionMessage(body) // { kind: 'SpotInterruption', instanceIds: ['i-0abc…'], … }
 */
export function parseInterruptionMessage(body: string): InterruptionEvent {
  let envelope: Envelope;
  try {
    envelope = JSON.parse(body) as Envelope;
  } catch {
    throw new UnparseableMessageError('body is not JSON');
  }
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.detail !== 'object' || envelope.detail === null) {
    throw new UnparseableMessageError('no EventBridge "detail" object');
  }
  const detail = envelope.detail as Record<string, unknown>;
  const detailType = String(envelope['detail-type'] ?? '');
  const source = String(envelope.source ?? '');
  const common = { time: String(envelope.time ?? ''), eventId: String(envelope.id ?? '') };

  if (source === 'aws.ec2') {
    const instanceId = detail['instance-id'];
    if (typeof instanceId !== 'string' || !instanceId.startsWith('i-')) {
      throw new UnparseableMessageError(`"${detailType}" without a detail.instance-id`);
    }
    switch (detailType) {
      case 'EC2 Spot Instance Interruption Warning':
        return { kind: 'SpotInterruption', instanceIds: [instanceId], ...common };
      case 'EC2 Instance Rebalance Recommendation':
        return { kind: 'RebalanceRecommendation', instanceIds: [instanceId], ...common };
      case 'EC2 Instance State-change Notification': {
        if (typeof detail.state !== 'string') throw new UnparseableMessageError('state-change event without detail.state');
        return { kind: 'StateChange', instanceIds: [instanceId], state: detail.state, ...common };
      }
    }
  }
  if (source === 'aws.health' && detailType === 'AWS Health Event') {
    if (detail.service !== 'EC2' || detail.eventTypeCategory !== 'scheduledChange') {
      throw new UnparseableMessageError(`health event of service ${String(detail.service)} / ${String(detail.eventTypeCategory)} is not an EC2 scheduled change`);
    }
    const entities = Array.isArray(detail.affectedEntities) ? (detail.affectedEntities as { entityValue?: unknown }[]) : [];
    const instanceIds = entities.map((e) => e.entityValue).filter((v): v is string => typeof v === 'string' && v.startsWith('i-'));
    if (instanceIds.length === 0) throw new UnparseableMessageError('scheduled change without affected instances');
    return { kind: 'ScheduledChange', instanceIds, ...common };
  }
  throw new UnparseableMessageError(`unsupported event "${detailType}" from "${source}"`);
}
