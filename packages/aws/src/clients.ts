import { EC2Client, type EC2ClientConfig } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { PricingClient } from '@aws-sdk/client-pricing';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';

/** The AWS SDK clients the provider talks through, keyed by their IAM action prefix. */
export interface AwsClients {
  readonly ec2: EC2Client;
  readonly iam: IAMClient;
  readonly ssm: SSMClient;
  readonly sqs: SQSClient;
  readonly pricing: PricingClient;
}

export interface AwsClientOptions {
  readonly region: string;
  /** One endpoint for every service (moto, LocalStack, a VPC endpoint proxy). */
  readonly endpoint?: string;
  /** Per-service endpoints win over `endpoint` (e.g. a fault-injecting proxy in front of EC2 only). */
  readonly endpoints?: Partial<Record<keyof AwsClients, string>>;
  readonly credentials?: EC2ClientConfig['credentials'];
  /** Attempts per call including the first; throttling and 5xx are retried with adaptive backoff. */
  readonly maxAttempts?: number;
  /** Called with `service:Action` before every call, e.g. to prove the IAM policy covers them. */
  readonly onAction?: (action: string) => void;
}

/** The Pricing API lives in a few regions only; us-east-1 serves every region's prices. */
const PRICING_REGION = 'us-east-1';

/**
 * Builds the clients with adaptive retry (client-side rate limiting on throttling errors) and a
 * middleware that names the IAM action of every failed call, so an AccessDenied says what to grant.
 *
 * @example
 * const clients = createAwsClients({ region: 'us-west-2', endpoint: process.env.AWS_ENDPOINT_URL });
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const common = (service: keyof AwsClients, region = options.region) => ({
    region,
    endpoint: options.endpoints?.[service] ?? options.endpoint,
    credentials: options.credentials,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 5,
  });
  const clients: AwsClients = {
    ec2: new EC2Client(common('ec2')),
    iam: new IAMClient(common('iam')),
    ssm: new SSMClient(common('ssm')),
    sqs: new SQSClient(common('sqs')),
    pricing: new PricingClient(common('pricing', (options.endpoints?.pricing ?? options.endpoint) ? options.region : PRICING_REGION)),
  };
  for (const [service, client] of Object.entries(clients) as [keyof AwsClients, { middlewareStack: MiddlewareStackLike }][]) {
    addActionMiddleware(client.middlewareStack, service, options.onAction);
  }
  return clients;
}

interface MiddlewareStackLike {
  add(middleware: unknown, options: { step: 'initialize'; name: string }): void;
}

/** An error from an AWS call, tagged with the IAM action that was attempted. */
export interface ActionTaggedError extends Error {
  awsAction?: string;
}

function addActionMiddleware(stack: MiddlewareStackLike, service: keyof AwsClients, onAction?: (action: string) => void): void {
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: unknown) => {
      const action = `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
      onAction?.(action);
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error) (error as ActionTaggedError).awsAction = action;
        throw error;
      }
    };
  stack.add(middleware, { step: 'initialize', name: 'karpenterTsActionMiddleware' });
}
