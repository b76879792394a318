import { describe, expect, it } from 'vitest';
import { parseInterruptionMessage, UnparseableMessageError } from './messages.js';
import { normalizeQueueSetting } from './interruption-queue.js';

const envelope = (source: string, detailType: string, detail: unknown) =>
  JSON.stringify({ version: '0', id: 'e-1', 'detail-type': detailType, source, account: '123456789012', time: '2026-01-01T00:00:00Z', region: 'us-west-2', resources: [], detail });

describe('parseInterruptionMessage', () => {
  it('parses a spot interruption warning', () => {
    expect(parseInterruptionMessage(envelope('aws.ec2', 'EC2 Spot Instance Interruption Warning', { 'instance-id': 'i-0abc', 'instance-action': 'terminate' }))).toEqual({
      kind: 'SpotInterruption',
      instanceIds: ['i-0abc'],
      time: '2026-01-01T00:00:00Z',
      eventId: 'e-1',
    });
  });

  it('parses rebalance recommendations and state changes', () => {
    expect(parseInterruptionMessage(envelope('aws.ec2', 'EC2 Instance Rebalance Recommendation', { 'instance-id': 'i-1' })).kind).toBe('RebalanceRecommendation');
    expect(parseInterruptionMessage(envelope('aws.ec2', 'EC2 Instance State-change Notification', { 'instance-id': 'i-2', state: 'shutting-down' }))).toMatchObject({
      kind: 'StateChange',
      state: 'shutting-down',
      instanceIds: ['i-2'],
    });
  });

  it('parses an EC2 scheduled change with every affected instance', () => {
    const event = parseInterruptionMessage(
      envelope('aws.health', 'AWS Health Event', { service: 'EC2', eventTypeCategory: 'scheduledChange', affectedEntities: [{ entityValue: 'i-3' }, { entityValue: 'vol-1' }, { entityValue: 'i-4' }] }),
    );
    expect(event).toMatchObject({ kind: 'ScheduledChange', instanceIds: ['i-3', 'i-4'] });
  });

  it.each([
    ['not JSON', '{oops', /not JSON/],
    ['no detail', JSON.stringify({ source: 'aws.ec2' }), /no EventBridge "detail"/],
    ['no instance id', envelope('aws.ec2', 'EC2 Spot Instance Interruption Warning', {}), /without a detail.instance-id/],
    ['another event', envelope('aws.ec2', 'EC2 AMI State Change', { 'instance-id': 'i-1' }), /unsupported event "EC2 AMI State Change"/],
    ['a health event of another service', envelope('aws.health', 'AWS Health Event', { service: 'RDS', eventTypeCategory: 'scheduledChange' }), /not an EC2 scheduled change/],
    ['a state change without state', envelope('aws.ec2', 'EC2 Instance State-change Notification', { 'instance-id': 'i-1' }), /without detail.state/],
  ])('rejects %s', (_name, body, message) => {
    expect(() => parseInterruptionMessage(body)).toThrow(UnparseableMessageError);
    expect(() => parseInterruptionMessage(body)).toThrow(message);
  });
});

describe('normalizeQueueSetting', () => {
  it('keeps a name, and reduces an ARN or a URL to the name and account', () => {
    expect(normalizeQueueSetting('my-cluster')).toEqual({ name: 'my-cluster' });
    expect(normalizeQueueSetting('arn:aws:sqs:us-west-2:111122223333:my-cluster')).toEqual({ name: 'my-cluster', accountId: '111122223333' });
    expect(normalizeQueueSetting('https://sqs.us-west-2.amazonaws.com/111122223333/my-cluster')).toEqual({ name: 'my-cluster', accountId: '111122223333' });
  });

  it('rejects what cannot be a queue, saying what to set', () => {
    expect(() => normalizeQueueSetting('')).toThrow(/INTERRUPTION_QUEUE is empty/);
    expect(() => normalizeQueueSetting('arn:aws:sns:us-west-2:1:topic')).toThrow(/not an SQS queue ARN/);
    expect(() => normalizeQueueSetting('my queue')).toThrow(/not a valid SQS queue name/);
  });
});
