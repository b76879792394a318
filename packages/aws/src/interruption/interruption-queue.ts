import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describeAwsError } from '../errors.js';
import type { Logger } from '../logger.js';
import { parseInterruptionMessage, UnparseableMessageError, type InterruptionEvent } from './messages.js';

/** The queue setting reduced to a name (and the owning account when an ARN or URL named one). */
export interface QueueRef {
  readonly name: string;
  readonly accountId?: string;
}

/**
 * Accepts the queue as a name, an ARN (`arn:aws:sqs:us-west-2:111122223333:name`) or a URL
 * (`https://sqs.us-west-2.amazonaws.com/111122223333/name`) and returns its name, so a setting
 * copied from the console is not silently missed.
 */
export function normalizeQueueSetting(setting: string): QueueRef {
  const value = setting.trim();
  if (value === '') throw new Error('INTERRUPTION_QUEUE is empty: set it to the SQS queue name, e.g. "my-cluster"');
  if (value.startsWith('arn:')) {
    const parts = value.split(':');
    if (parts.length !== 6 || parts[2] !== 'sqs' || parts[5] === '') {
      throw new Error(`INTERRUPTION_QUEUE "${setting}" is not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)`);
    }
    return { name: parts[5], accountId: parts[4] || undefined };
  }
  if (/^https?:\/\//.test(value)) {
    const segments = new URL(value).pathname.split('/').filter(Boolean);
    if (segments.length < 2) {
      throw new Error(`INTERRUPTION_QUEUE "${setting}" is not an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>)`);
    }
    return { name: segments[segments.length - 1], accountId: segments[segments.length - 2] };
  }
  if (!/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(value)) {
    throw new Error(`INTERRUPTION_QUEUE "${setting}" is not a valid SQS queue name (letters, digits, - and _, at most 80)`);
  }
  return { name: value };
}

/** A received message: the typed event, and the handle to delete it once acted on. */
export interface InterruptionMessage {
  readonly event: InterruptionEvent;
  readonly receiptHandle: string;
  readonly messageId: string;
}

/**
 * The SQS queue EventBridge feeds with EC2 interruption events. `receive` long-polls, parses and
 * deletes (and logs) messages it cannot understand, so a bad message is never retried forever.
 */
export class InterruptionQueue {
  private url: string | undefined;
  private readonly ref: QueueRef;

  constructor(
    private readonly sqs: SQSClient,
    setting: string,
    private readonly logger: Logger,
  ) {
    this.ref = normalizeQueueSetting(setting);
  }

  get name(): string {
    return this.ref.name;
  }

  async queueUrl(): Promise<string> {
    if (this.url) return this.url;
    try {
      const out = await this.sqs.send(new GetQueueUrlCommand({ QueueName: this.ref.name, QueueOwnerAWSAccountId: this.ref.accountId }));
      this.url = out.QueueUrl!;
      return this.url;
    } catch (error) {
      throw new Error(`interruption queue "${this.ref.name}" not usable (check INTERRUPTION_QUEUE and the queue's region): ${describeAwsError(error)}`, {
        cause: error,
      });
    }
  }

  /** Long-polls up to 10 messages for at most `waitSeconds` (20 by default). */
  async receive(waitSeconds = 20): Promise<InterruptionMessage[]> {
    const url = await this.queueUrl();
    const out = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }));
    const messages: InterruptionMessage[] = [];
    for (const message of out.Messages ?? []) {
      try {
        messages.push({ event: parseInterruptionMessage(message.Body ?? ''), receiptHandle: message.ReceiptHandle!, messageId: message.MessageId ?? '' });
      } catch (error) {
        if (!(error instanceof UnparseableMessageError)) throw error;
        this.logger.warn({ queue: this.ref.name, messageId: message.MessageId, reason: error.message }, 'deleting unparseable interruption message');
        await this.delete(message.ReceiptHandle!);
      }
    }
    return messages;
  }

  /** Deletes a handled message. */
  async delete(receiptHandle: string): Promise<void> {
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: await this.queueUrl(), ReceiptHandle: receiptHandle }));
  }
}
