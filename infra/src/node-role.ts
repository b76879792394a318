import { Construct } from 'constructs';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { ec2TrustPolicy } from './iam/trust-policies.js';

/** The AWS-managed policies every EKS worker node needs. */
export const NODE_MANAGED_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonSSMManagedInstanceCore',
];

export interface NodeRoleProps {
  /** The exact role name; EC2NodeClasses name it in `spec.role`. */
  name: string;
  partition: string;
  dnsSuffix: string;
  /** Also create an instance profile of the same name. */
  createInstanceProfile: boolean;
}

/** The IAM role of the nodes the controller launches. */
export class NodeRole extends Construct {
  readonly role: IamRole;
  readonly instanceProfile?: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.name,
      description: 'Nodes launched by karpenter-ts',
      assumeRolePolicy: JSON.stringify(ec2TrustPolicy(props.dnsSuffix)),
    });
    for (const policy of NODE_MANAGED_POLICIES) {
      new IamRolePolicyAttachment(this, policy, {
        role: this.role.name,
        policyArn: `arn:${props.partition}:iam::aws:policy/${policy}`,
      });
    }
    if (props.createInstanceProfile) {
      this.instanceProfile = new IamInstanceProfile(this, 'instance-profile', { name: props.name, role: this.role.name });
    }
  }
}
