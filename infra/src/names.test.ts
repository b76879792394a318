import { describe, expect, it } from 'vitest';
import { config } from '../test/synth.js';
import { boundedName, INTERRUPTION_EVENT_KINDS, NAME_LIMITS, POLICY_CONCERNS, resourceNames } from './names.js';

const longest = 'c'.repeat(100);

describe('boundedName', () => {
  it('keeps a name that fits as it is', () => {
    expect(boundedName('Karpenter-', 'demo', '-SpotInterruption', 64)).toBe('Karpenter-demo-SpotInterruption');
  });

  it('shortens the cluster part and appends a hash when the name would be too long', () => {
    const name = boundedName('Karpenter-', longest, '-SpotInterruption', 64);
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^Karpenter-c+-[0-9a-f]{8}-SpotInterruption$/);
  });

  it('gives different names to long cluster names that share the kept prefix', () => {
    const a = boundedName('Karpenter-', `${'x'.repeat(90)}-a`, '', 64);
    const b = boundedName('Karpenter-', `${'x'.repeat(90)}-b`, '', 64);
    expect(a).not.toBe(b);
    expect(boundedName('Karpenter-', `${'x'.repeat(90)}-a`, '', 64)).toBe(a);
  });
});

describe('resourceNames', () => {
  it('derives every name from the cluster name', () => {
    const names = resourceNames(config());
    expect(names.nodeRole).toBe('KarpenterNodeRole-demo');
    expect(names.controllerRole).toBe('KarpenterController-demo');
    expect(names.interruptionQueue).toBe('Karpenter-demo');
    expect(names.rules.ScheduledChange).toBe('Karpenter-demo-ScheduledChange');
    expect(names.policies.NodeLifecycle).toBe('KarpenterControllerNodeLifecycle-demo');
  });

  it('uses the names given in the configuration', () => {
    const names = resourceNames(config({ nodeRoleName: 'MyNodes', interruptionQueueName: 'my-queue' }));
    expect(names.nodeRole).toBe('MyNodes');
    expect(names.nodeInstanceProfile).toBe('MyNodes');
    expect(names.interruptionQueue).toBe('my-queue');
  });

  it('stays within AWS limits and character sets for a 100-character cluster name', () => {
    const names = resourceNames(config({ clusterName: longest }));
    const iamName = /^[\w+=,.@-]+$/;
    expect(names.nodeRole.length).toBeLessThanOrEqual(NAME_LIMITS.iamRole);
    expect(names.nodeRole).toMatch(iamName);
    expect(names.controllerRole.length).toBeLessThanOrEqual(NAME_LIMITS.iamRole);
    expect(names.nodeInstanceProfile.length).toBeLessThanOrEqual(NAME_LIMITS.instanceProfile);
    for (const concern of POLICY_CONCERNS) {
      expect(names.policies[concern].length).toBeLessThanOrEqual(NAME_LIMITS.iamPolicy);
      expect(names.policies[concern]).toMatch(iamName);
    }
    expect(names.interruptionQueue.length).toBeLessThanOrEqual(NAME_LIMITS.sqsQueue);
    expect(names.interruptionQueue).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const kind of INTERRUPTION_EVENT_KINDS) {
      expect(names.rules[kind].length).toBeLessThanOrEqual(NAME_LIMITS.eventBridgeRule);
      expect(names.rules[kind]).toMatch(/^[.\-_A-Za-z0-9]+$/);
    }
    expect(new Set(Object.values(names.rules)).size).toBe(INTERRUPTION_EVENT_KINDS.length);
  });
});
