import { Construct } from 'constructs';
import { Fn, Op, TerraformLocal, type ITerraformDependable } from 'cdktf';
import type { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster/index.js';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association/index.js';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import type { ControllerIdentity } from './config.js';
import { controllerPolicies, type PolicyScope } from './iam/controller-policies.js';
import type { PolicyDocument } from './iam/policy-document.js';
import { irsaTrustPolicy, podIdentityTrustPolicy, type ServiceAccountRef } from './iam/trust-policies.js';
import { POLICY_CONCERNS, type PolicyConcern } from './names.js';

export interface ControllerRoleProps {
  roleName: string;
  policyNames: Record<PolicyConcern, string>;
  identity: ControllerIdentity;
  serviceAccount: ServiceAccountRef;
  policyScope: PolicyScope;
  cluster: DataAwsEksCluster;
}

/** The controller's IAM role, its managed policies and how its pods assume it. */
export class ControllerRole extends Construct {
  readonly role: IamRole;
  readonly policies: Record<PolicyConcern, IamPolicy>;
  /** What must exist before the controller's pods can get credentials. */
  readonly ready: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: ControllerRoleProps) {
    super(scope, id);
    const issuerUrl = props.cluster.identity.get(0).oidc.get(0).issuer;
    const identity = props.identity;
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `karpenter-ts controller of EKS cluster ${props.policyScope.clusterName}`,
      assumeRolePolicy: JSON.stringify(this.trustPolicy(props, issuerUrl)),
      lifecycle:
        identity.mode === 'irsa' && 'oidcProviderArn' in identity
          ? {
              // A provider of another cluster gives a role no pod of this cluster can assume.
              precondition: [
                {
                  condition: Op.eq(Fn.replace(issuerUrl, 'https://', ''), issuerOf(identity.oidcProviderArn)),
                  errorMessage:
                    `identity.oidcProviderArn is not the OIDC provider of cluster ${props.policyScope.clusterName}: give the provider ` +
                    'of its issuer (aws eks describe-cluster --query cluster.identity.oidc.issuer) or set "createOidcProvider": true.',
                },
              ],
            }
          : undefined,
    });

    const documents = controllerPolicies(props.policyScope);
    const policy = (concern: PolicyConcern) =>
      new IamPolicy(this, `policy-${concern}`, {
        name: props.policyNames[concern],
        description: `karpenter-ts controller: ${concern}`,
        policy: JSON.stringify(documents[concern]),
      });
    this.policies = Object.fromEntries(POLICY_CONCERNS.map((concern) => [concern, policy(concern)])) as Record<PolicyConcern, IamPolicy>;
    this.ready = POLICY_CONCERNS.map(
      (concern) => new IamRolePolicyAttachment(this, `attachment-${concern}`, { role: this.role.name, policyArn: this.policies[concern].arn }),
    );

    if (props.identity.mode === 'podIdentity') {
      this.ready.push(
        new EksPodIdentityAssociation(this, 'pod-identity', {
          clusterName: props.policyScope.clusterName,
          namespace: props.serviceAccount.namespace,
          serviceAccount: props.serviceAccount.serviceAccount,
          roleArn: this.role.arn,
          // The trust policy checks the session tags, so they must stay on.
          disableSessionTags: false,
        }),
      );
    }
  }

  /** The trust policy of the chosen identity mode; creates the OIDC provider when asked to. */
  private trustPolicy(props: ControllerRoleProps, issuerUrl: string): PolicyDocument {
    const { identity, serviceAccount } = props;
    if (identity.mode === 'podIdentity') return podIdentityTrustPolicy(props.policyScope.clusterName, serviceAccount);
    if ('oidcProviderArn' in identity) {
      return irsaTrustPolicy(identity.oidcProviderArn, issuerOf(identity.oidcProviderArn), serviceAccount);
    }
    const provider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: issuerUrl,
      clientIdList: ['sts.amazonaws.com'],
    });
    // A local keeps the expression (which has quotes) out of the JSON string of the trust policy.
    const issuer = new TerraformLocal(this, 'oidc-issuer', Fn.replace(issuerUrl, 'https://', ''));
    return irsaTrustPolicy(provider.arn, issuer.asString, serviceAccount);
  }
}

/** `oidc.eks.<region>.amazonaws.com/id/<ID>` of an OIDC provider ARN. */
function issuerOf(oidcProviderArn: string): string {
  return oidcProviderArn.split(':oidc-provider/')[1]!;
}
