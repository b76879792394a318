import { Construct } from 'constructs';
import { Fn, Op, TerraformDataSource, type TerraformResource } from 'cdktf';
import type { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry/index.js';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { ConfigMapV1Data } from '@cdktf/provider-kubernetes/lib/config-map-v1-data/index.js';
import { DataKubernetesConfigMapV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-config-map-v1/index.js';
import { mergedMapRolesExpression } from './aws-auth.js';
import type { NodeAccess as NodeAccessConfig } from './config.js';

/** The field manager that owns `mapRoles` after the merge; other keys of aws-auth are left alone. */
export const AWS_AUTH_FIELD_MANAGER = 'karpenter-ts-infra';

/**
 * Stable Terraform address of the aws-auth entry. Destroying it removes the whole `mapRoles` key
 * (the provider applies empty data as the field's owner), so before `cdktf destroy` users take it
 * out of the state: `terraform state rm kubernetes_config_map_v1_data.<this>` (see the README).
 */
export const AWS_AUTH_LOGICAL_ID = 'karpenter_node_role_aws_auth';

export interface NodeAccessProps {
  access: NodeAccessConfig;
  cluster: DataAwsEksCluster;
  nodeRole: IamRole;
}

/** Lets nodes with the node role join the cluster: an EKS access entry or an aws-auth entry. */
export class NodeAccess extends Construct {
  readonly grant: EksAccessEntry | ConfigMapV1Data;

  constructor(scope: Construct, id: string, props: NodeAccessProps) {
    super(scope, id);
    // Fail the plan, naming the setting, when the cluster would ignore or refuse the grant.
    const authenticationMode = props.cluster.accessConfig.get(0).authenticationMode;
    if (props.access.mode === 'accessEntry') {
      this.grant = new EksAccessEntry(this, 'access-entry', {
        clusterName: props.cluster.name,
        principalArn: props.nodeRole.arn,
        type: 'EC2_LINUX',
        lifecycle: {
          precondition: [
            {
              condition: Fn.contains(['API', 'API_AND_CONFIG_MAP'], authenticationMode),
              errorMessage:
                'nodeAccess.mode is "accessEntry" but the cluster\'s authentication mode is CONFIG_MAP: set nodeAccess.mode to "awsAuth", ' +
                'or enable access entries (aws eks update-cluster-config --access-config authenticationMode=API_AND_CONFIG_MAP).',
            },
          ],
        },
      });
      return;
    }
    const metadata = { name: 'aws-auth', namespace: 'kube-system' };
    const existing = new DataKubernetesConfigMapV1(this, 'aws-auth-existing', { metadata });
    this.grant = new ConfigMapV1Data(this, 'aws-auth', {
      metadata,
      data: {
        mapRoles: `\${${mergedMapRolesExpression(reference(existing, 'data'), reference(props.nodeRole, 'arn'))}}`,
      },
      // mapRoles is owned by whoever wrote it last (eksctl, EKS, kubectl); the merged value keeps
      // their entries, so taking the field over is safe.
      force: true,
      fieldManager: AWS_AUTH_FIELD_MANAGER,
      lifecycle: {
        precondition: [
          {
            condition: Op.neq(authenticationMode, 'API'),
            errorMessage:
              'nodeAccess.mode is "awsAuth" but the cluster\'s authentication mode is API, which ignores aws-auth: set nodeAccess.mode to "accessEntry".',
          },
        ],
      },
    });
    this.grant.overrideLogicalId(AWS_AUTH_LOGICAL_ID);
  }
}

/** A raw Terraform reference to an attribute, for use inside a hand-written expression. */
function reference(element: TerraformResource | TerraformDataSource, attribute: string): string {
  const prefix = element instanceof TerraformDataSource ? 'data.' : '';
  return `${prefix}${element.terraformResourceType}.${element.friendlyUniqueId}.${attribute}`;
}
