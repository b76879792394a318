import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
import { policyDocument } from './iam/policy-document.js';
import { INTERRUPTION_EVENT_KINDS, type InterruptionEventKind } from './names.js';

/** The EventBridge patterns of the events the controller acts on (see the reference, "Interruption"). */
export const INTERRUPTION_EVENT_PATTERNS: Record<InterruptionEventKind, Record<string, unknown>> = {
  SpotInterruption: { source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
  RebalanceRecommendation: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
  ScheduledChange: {
    source: ['aws.health'],
    'detail-type': ['AWS Health Event'],
    detail: { service: ['EC2'], eventTypeCategory: ['scheduledChange'] },
  },
  InstanceStateChange: {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['stopping', 'stopped', 'shutting-down', 'terminated'] },
  },
};

/** Messages older than this are stale: the instance is gone or the notice has passed. */
export const INTERRUPTION_MESSAGE_RETENTION_SECONDS = 300;

export interface InterruptionQueueProps {
  queueName: string;
  ruleNames: Record<InterruptionEventKind, string>;
  clusterName: string;
}

/** The SQS queue the controller long-polls, fed by EventBridge rules for the interruption events. */
export class InterruptionQueue extends Construct {
  readonly queue: SqsQueue;
  readonly rules: Record<InterruptionEventKind, CloudwatchEventRule>;
  readonly queuePolicy: SqsQueuePolicy;

  constructor(scope: Construct, id: string, props: InterruptionQueueProps) {
    super(scope, id);
    this.queue = new SqsQueue(this, 'queue', {
      name: props.queueName,
      messageRetentionSeconds: INTERRUPTION_MESSAGE_RETENTION_SECONDS,
      sqsManagedSseEnabled: true,
    });

    this.rules = {} as Record<InterruptionEventKind, CloudwatchEventRule>;
    for (const kind of INTERRUPTION_EVENT_KINDS) {
      const rule = new CloudwatchEventRule(this, `rule-${kind}`, {
        name: props.ruleNames[kind],
        description: `karpenter-ts interruption events of cluster ${props.clusterName}: ${kind}`,
        eventPattern: JSON.stringify(INTERRUPTION_EVENT_PATTERNS[kind]),
      });
      new CloudwatchEventTarget(this, `target-${kind}`, { rule: rule.name, targetId: 'KarpenterInterruptionQueue', arn: this.queue.arn });
      this.rules[kind] = rule;
    }

    this.queuePolicy = new SqsQueuePolicy(this, 'policy', {
      queueUrl: this.queue.url,
      policy: JSON.stringify(
        policyDocument(
          {
            Sid: 'EventBridgeSendsInterruptionEvents',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: this.queue.arn,
            Condition: { ArnEquals: { 'aws:SourceArn': INTERRUPTION_EVENT_KINDS.map((kind) => this.rules[kind].arn) } },
          },
          {
            Sid: 'DenyNonTLS',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sqs:*',
            Resource: this.queue.arn,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ),
      ),
    });
  }
}
