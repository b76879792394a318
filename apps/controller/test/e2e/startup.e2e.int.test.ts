import { describe, expect, it } from 'vitest';
import { ControllerProcess } from './controller-process.js';

describe('controller start-up', () => {
  it('refuses bad settings with one line per bad value and exit status 2, before touching anything', { timeout: 60_000 }, async () => {
    const controller = new ControllerProcess('bad-settings', {
      CLUSTER_NAME: '',
      AWS_REGION: 'us-west-2',
      BATCH_IDLE_DURATION: 'soon',
      INTERRUPTION_QUEUE: 'arn:aws:sqs:us-west-2:123456789012:karpenter-events',
      METRICS_PORT: '8080',
      HEALTH_PROBE_PORT: '8080',
    });
    expect(await controller.exited).toBe(2);
    const output = controller.stderr.join('\n');
    expect(output).toContain('invalid settings (4)');
    expect(output).toContain('CLUSTER_NAME is required');
    expect(output).toContain('BATCH_IDLE_DURATION "soon" is not a positive duration');
    expect(output).toContain('INTERRUPTION_QUEUE=karpenter-events');
    expect(output).toContain('METRICS_PORT and HEALTH_PROBE_PORT are both 8080');
    expect(controller.logs).toEqual([]);
  });
});
