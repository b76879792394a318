import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_ACTIONS } from '../src/actions.js';
import { InterruptionQueue, type InterruptionMessage } from '../src/interruption/interruption-queue.js';
import type { Logger } from '../src/logger.js';
import { fixtureClients, motoEndpoint, recordingClients, REGION, uniqueName } from './aws-test-env.js';

const cluster = uniqueName('interruption');
const fixture = fixtureClients();
const { clients, actions } = recordingClients();
const events = new EventBridgeClient({ region: REGION, endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
const warnings: Record<string, unknown>[] = [];
const logger: Logger = { info() {}, error() {}, warn: (fields) => warnings.push(fields) };
let queueUrl: string;
let queueArn: string;

const instance = (n: number) => `i-0${n}23456789abcdef0`;

beforeAll(async () => {
  queueUrl = (await fixture.sqs.send(new CreateQueueCommand({ QueueName: cluster }))).QueueUrl!;
  queueArn = (await fixture.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const rules = {
    ec2: { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning', 'EC2 Instance Rebalance Recommendation', 'EC2 Instance State-change Notification'] },
    health: { source: ['aws.health'], 'detail-type': ['AWS Health Event'] },
  };
  for (const [name, pattern] of Object.entries(rules)) {
    const Rule = `${cluster}-${name}`;
    await events.send(new PutRuleCommand({ Name: Rule, EventPattern: JSON.stringify(pattern) }));
    await events.send(new PutTargetsCommand({ Rule, Targets: [{ Id: 'queue', Arn: queueArn }] }));
  }
});

afterAll(() => {
  expect([...actions].filter((a) => !(AWS_ACTIONS as readonly string[]).includes(a))).toEqual([]);
});

async function drain(queue: InterruptionQueue, expected: number): Promise<InterruptionMessage[]> {
  const received: InterruptionMessage[] = [];
  for (let attempt = 0; attempt < 20 && received.length < expected; attempt++) received.push(...(await queue.receive(1)));
  return received;
}

describe('interruption messages end to end (EventBridge → SQS → typed event)', () => {
  it('turns the four EC2 event kinds into typed events, and deletes a message it cannot parse', async () => {
    const entry = (Source: string, DetailType: string, detail: object) => ({ Source, DetailType, Detail: JSON.stringify(detail), Resources: [] });
    const put = await events.send(
      new PutEventsCommand({
        Entries: [
          entry('aws.ec2', 'EC2 Spot Instance Interruption Warning', { 'instance-id': instance(1), 'instance-action': 'terminate' }),
          entry('aws.ec2', 'EC2 Instance Rebalance Recommendation', { 'instance-id': instance(2) }),
          entry('aws.ec2', 'EC2 Instance State-change Notification', { 'instance-id': instance(3), state: 'stopping' }),
          entry('aws.health', 'AWS Health Event', {
            service: 'EC2',
            eventTypeCategory: 'scheduledChange',
            affectedEntities: [{ entityValue: instance(4) }, { entityValue: instance(5) }],
          }),
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
    await fixture.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'this is not an EventBridge event' }));

    // The setting given as an ARN is normalized to the queue's name.
    const queue = new InterruptionQueue(clients.sqs, queueArn, logger);
    const received = await drain(queue, 4);
    const byKind = Object.fromEntries(received.map((m) => [m.event.kind, m.event]));
    expect(Object.keys(byKind).sort()).toEqual(['RebalanceRecommendation', 'ScheduledChange', 'SpotInterruption', 'StateChange']);
    expect(byKind.SpotInterruption.instanceIds).toEqual([instance(1)]);
    expect(byKind.RebalanceRecommendation.instanceIds).toEqual([instance(2)]);
    expect(byKind.StateChange).toMatchObject({ instanceIds: [instance(3)], state: 'stopping' });
    expect(byKind.ScheduledChange.instanceIds).toEqual([instance(4), instance(5)]);
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].reason)).toMatch(/not JSON/);

    for (const message of received) await queue.delete(message.receiptHandle);
    const left = await fixture.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(left.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('accepts the queue URL as well, and names the queue when it does not exist', async () => {
    expect(await new InterruptionQueue(clients.sqs, queueUrl, logger).queueUrl()).toBe(queueUrl);
    await expect(new InterruptionQueue(clients.sqs, `${cluster}-missing`, logger).queueUrl()).rejects.toThrow(
      new RegExp(`interruption queue "${cluster}-missing" not usable.*sqs:GetQueueUrl failed`),
    );
  });
});
