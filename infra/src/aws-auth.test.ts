import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, synth } from '../test/synth.js';
import { expressionOf, TerraformEvaluator } from '../test/terraform.js';
import { NODE_ROLE_MAPPING } from './aws-auth.js';

// The merge runs in Terraform at plan time, against the ConfigMap the cluster holds. This test
// takes the expression from the synthesized stack and evaluates it with the real Terraform
// (no providers needed), with the data source and the role ARN replaced by variables.

const NODE_ROLE_ARN = 'arn:aws:iam::111122223333:role/KarpenterNodeRole-demo';

// aws-auth as eksctl and EKS leave it: two managed node groups, a Fargate profile, an SSO admin role.
const EXISTING_MAP_ROLES = `- groups:
  - system:bootstrappers
  - system:nodes
  rolearn: arn:aws:iam::111122223333:role/eksctl-demo-nodegroup-ng-general-NodeInstanceRole-1A2B3C
  username: system:node:{{EC2PrivateDNSName}}
- groups:
  - system:bootstrappers
  - system:nodes
  rolearn: arn:aws:iam::111122223333:role/eksctl-demo-nodegroup-ng-gpu-NodeInstanceRole-4D5E6F
  username: system:node:{{EC2PrivateDNSName}}
- groups:
  - system:bootstrappers
  - system:nodes
  - system:node-proxier
  rolearn: arn:aws:iam::111122223333:role/eksctl-demo-cluster-FargatePodExecutionRole-7G8H9I
  username: system:node:{{SessionName}}
- rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef
  username: admin:{{SessionName}}
  groups:
    - system:masters
`;
const EXISTING_ENTRIES = [
  {
    groups: ['system:bootstrappers', 'system:nodes'],
    rolearn: 'arn:aws:iam::111122223333:role/eksctl-demo-nodegroup-ng-general-NodeInstanceRole-1A2B3C',
    username: 'system:node:{{EC2PrivateDNSName}}',
  },
  {
    groups: ['system:bootstrappers', 'system:nodes'],
    rolearn: 'arn:aws:iam::111122223333:role/eksctl-demo-nodegroup-ng-gpu-NodeInstanceRole-4D5E6F',
    username: 'system:node:{{EC2PrivateDNSName}}',
  },
  {
    groups: ['system:bootstrappers', 'system:nodes', 'system:node-proxier'],
    rolearn: 'arn:aws:iam::111122223333:role/eksctl-demo-cluster-FargatePodExecutionRole-7G8H9I',
    username: 'system:node:{{SessionName}}',
  },
  {
    groups: ['system:masters'],
    rolearn: 'arn:aws:iam::111122223333:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef',
    username: 'admin:{{SessionName}}',
  },
];
const OURS = { rolearn: NODE_ROLE_ARN, ...NODE_ROLE_MAPPING };

let evaluator: TerraformEvaluator;

beforeAll(() => {
  const stack = synth(config({ nodeAccess: { mode: 'awsAuth' } }));
  const expression = expressionOf((stack.resource('kubernetes_config_map_v1_data').data as Record<string, string>).mapRoles)
    .replace(/data\.kubernetes_config_map_v1\.[\w-]+\.data/g, 'var.existing_data')
    .replace(/aws_iam_role\.node-role_\w+\.arn/g, 'var.node_role_arn');
  expect(expression).not.toMatch(/data\.kubernetes|aws_iam_role/);
  evaluator = new TerraformEvaluator(
    { existing_data: 'map(string)', node_role_arn: 'string' },
    { map_roles: expression, entries: `jsonencode(yamldecode(${expression}))` },
  );
});

afterAll(() => evaluator?.dispose());

/** Applies the merge to a ConfigMap's data; returns the new mapRoles text and its entries. */
function merge(existingData: Record<string, string>): { mapRoles: string; entries: unknown[] } {
  const outputs = evaluator.evaluate({ existing_data: existingData, node_role_arn: NODE_ROLE_ARN });
  return { mapRoles: outputs.map_roles as string, entries: JSON.parse(outputs.entries as string) };
}

describe('aws-auth mapRoles merge (evaluated by Terraform)', () => {
  it('keeps every existing entry, in order, and appends the node role', () => {
    const { entries } = merge({ mapRoles: EXISTING_MAP_ROLES, mapUsers: '- userarn: arn:aws:iam::111122223333:user/ops\n  username: ops\n' });
    expect(entries).toEqual([...EXISTING_ENTRIES, OURS]);
  });

  it('gives the same value when applied again, so plans stay clean', () => {
    const first = merge({ mapRoles: EXISTING_MAP_ROLES });
    const second = merge({ mapRoles: first.mapRoles });
    expect(second.mapRoles).toBe(first.mapRoles);
  });

  it('replaces an older entry for the node role instead of adding a second one', () => {
    const stale = `${EXISTING_MAP_ROLES}- rolearn: ${NODE_ROLE_ARN}\n  username: old-name\n  groups: [system:nodes]\n`;
    expect(merge({ mapRoles: stale }).entries).toEqual([...EXISTING_ENTRIES, OURS]);
  });

  it('adds the node role when aws-auth has no mapRoles yet', () => {
    expect(merge({ mapUsers: '[]' }).entries).toEqual([OURS]);
    expect(merge({ mapRoles: '  \n' }).entries).toEqual([OURS]);
  });

  it('fails the plan, writing nothing, when the existing mapRoles is not valid YAML', () => {
    expect(() => merge({ mapRoles: '- rolearn: [unclosed\n' })).toThrow(/yamldecode/);
  });
});
