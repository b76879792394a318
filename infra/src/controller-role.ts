import { Construct } from 'constructs';
import { Fn, TerraformLocal, type ITerraformDependable } from 'cdktf';
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
  /** The cluster's OIDC issuer URL (`https://…`), used when the OIDC provider is created here. */
  oidcIssuerUrl: string;
}

/** The controller's IAM role, its managed policies and how its pods assume it. */
export class ControllerRole extends Construct {
  readonly role: IamRole;
  readonly policies: Record<PolicyConcern, IamPolicy>;
  /** What must exist before the controller's pods can get credentials. */
  readonly ready: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: ControllerRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `karpenter-ts controller of EKS cluster ${props.policyScope.clusterName}`,
      assumeRolePolicy: JSON.stringify(this.trustPolicy(props)),
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
  private trustPolicy(props: ControllerRoleProps): PolicyDocument {
    const { identity, serviceAccount } = props;
    if (identity.mode === 'podIdentity') return podIdentityTrustPolicy(props.policyScope.clusterName, serviceAccount);
    if ('oidcProviderArn' in identity) {
      const issuer = identity.oidcProviderArn.split(':oidc-provider/')[1]!;
      return irsaTrustPolicy(identity.oidcProviderArn, issuer, serviceAccount);
    }
    const provider = new IamOpenidConnectProvider(this, 'oidc-provider', {
      url: props.oidcIssuerUrl,
      clientIdList: ['sts.amazonaws.com'],
    });
    // A local keeps the expression (which has quotes) out of the JSON string of the trust policy.
    const issuer = new TerraformLocal(this, 'oidc-issuer', Fn.replace(props.oidcIssuerUrl, 'https://', ''));
    return irsaTrustPolicy(provider.arn, issuer.asString, serviceAccount);
  }
}
