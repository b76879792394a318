import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createAwsClients } from './clients.js';
import { describeAwsError } from './errors.js';

describe('createAwsClients', () => {
  it('uses adaptive retry, records the IAM action of each call, and tags failures with it', async () => {
    let requests = 0;
    // A local endpoint that throttles once, then denies: enough to see retry and the action tag.
    const server = createServer((req, res) => {
      req.resume();
      requests++;
      const code = requests === 1 ? 'RequestLimitExceeded' : 'UnauthorizedOperation';
      res.writeHead(requests === 1 ? 503 : 403, { 'content-type': 'text/xml' });
      res.end(`<Response><Errors><Error><Code>${code}</Code><Message>m</Message></Error></Errors><RequestID>r</RequestID></Response>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const actions: string[] = [];
    const clients = createAwsClients({
      region: 'us-west-2',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 3,
      onAction: (a) => actions.push(a),
    });
    try {
      const mode = clients.ec2.config.retryMode;
      expect(typeof mode === 'function' ? await mode() : mode).toBe('adaptive');
      const error = await clients.ec2.send(new DescribeRegionsCommand({})).catch((e: unknown) => e);
      expect(requests).toBe(2);
      expect(actions).toEqual(['ec2:DescribeRegions']);
      expect(describeAwsError(error)).toBe('ec2:DescribeRegions was denied (UnauthorizedOperation): grant "ec2:DescribeRegions" to the controller\'s IAM role');
    } finally {
      server.close();
    }
  });
});
