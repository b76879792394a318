import { afterAll, describe, expect, it } from 'vitest';
import { config, OIDC_ISSUER, OIDC_PROVIDER_ARN, synth } from '../test/synth.js';
import { expressionOf, TerraformEvaluator } from '../test/terraform.js';

// The plan fails with a message naming the setting when the cluster cannot work with it. The
// preconditions are taken from the synthesized stack and evaluated by the real Terraform, with the
// cluster's attributes given as variables.

interface Precondition {
  condition: string;
  error_message: string;
}

const CLUSTER_ATTRIBUTES: [RegExp, string][] = [
  [/data\.aws_eks_cluster\.cluster\.access_config\[0\]\.authentication_mode/g, 'var.authentication_mode'],
  [/data\.aws_eks_cluster\.cluster\.identity\[0\]\.oidc\[0\]\.issuer/g, 'var.issuer'],
];
const evaluators: TerraformEvaluator[] = [];
afterAll(() => evaluators.forEach((e) => e.dispose()));

/** The precondition of a resource, and a function evaluating it for given cluster attributes. */
function precondition(resource: Record<string, unknown>): Precondition & { holds: (cluster: { authentication_mode?: string; issuer?: string }) => boolean } {
  const [check] = (resource.lifecycle as { precondition: Precondition[] }).precondition;
  const expression = CLUSTER_ATTRIBUTES.reduce((e, [pattern, variable]) => e.replace(pattern, variable), expressionOf(check!.condition));
  expect(expression).not.toMatch(/data\.aws_eks_cluster/);
  const evaluator = new TerraformEvaluator({ authentication_mode: 'string', issuer: 'string' }, { holds: expression });
  evaluators.push(evaluator);
  return {
    ...check!,
    holds: (cluster) => evaluator.evaluate({ authentication_mode: 'API', issuer: '', ...cluster }).holds as boolean,
  };
}

describe('plan-time checks against the cluster', () => {
  it('an access entry needs access entries enabled on the cluster', () => {
    const check = precondition(synth(config()).resource('aws_eks_access_entry'));
    expect(check.holds({ authentication_mode: 'API_AND_CONFIG_MAP' })).toBe(true);
    expect(check.holds({ authentication_mode: 'API' })).toBe(true);
    expect(check.holds({ authentication_mode: 'CONFIG_MAP' })).toBe(false);
    expect(check.error_message).toMatch(/^nodeAccess\.mode is "accessEntry" .* set nodeAccess\.mode to "awsAuth"/);
  });

  it('an aws-auth entry needs a cluster that still reads aws-auth', () => {
    const check = precondition(synth(config({ nodeAccess: { mode: 'awsAuth' } })).resource('kubernetes_config_map_v1_data'));
    expect(check.holds({ authentication_mode: 'CONFIG_MAP' })).toBe(true);
    expect(check.holds({ authentication_mode: 'API_AND_CONFIG_MAP' })).toBe(true);
    expect(check.holds({ authentication_mode: 'API' })).toBe(false);
    expect(check.error_message).toMatch(/^nodeAccess\.mode is "awsAuth" .* set nodeAccess\.mode to "accessEntry"/);
  });

  it('an existing OIDC provider must be the cluster\'s own', () => {
    const stack = synth(config());
    const role = stack.resources('aws_iam_role').find((r) => r.name === 'KarpenterController-demo')!;
    const check = precondition(role);
    expect(check.holds({ issuer: `https://${OIDC_ISSUER}` })).toBe(true);
    expect(check.holds({ issuer: 'https://oidc.eks.us-west-2.amazonaws.com/id/OTHERCLUSTER' })).toBe(false);
    expect(check.error_message).toContain('identity.oidcProviderArn is not the OIDC provider of cluster demo');
    expect(OIDC_PROVIDER_ARN.endsWith(OIDC_ISSUER)).toBe(true);
  });
});
