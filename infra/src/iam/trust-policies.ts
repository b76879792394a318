import { policyDocument, type PolicyDocument } from './policy-document.js';

/** Nodes: EC2 assumes the node role through the instance profile. `dnsSuffix` is the partition's. */
export function ec2TrustPolicy(dnsSuffix: string): PolicyDocument {
  return policyDocument({
    Sid: 'EC2AssumesNodeRole',
    Effect: 'Allow',
    Principal: { Service: `ec2.${dnsSuffix}` },
    Action: 'sts:AssumeRole',
  });
}

export interface ServiceAccountRef {
  namespace: string;
  serviceAccount: string;
}

/**
 * IRSA: only the controller's service account, with tokens issued for STS, may assume the role.
 * `issuer` is the OIDC issuer without `https://` (`oidc.eks.<region>.amazonaws.com/id/<ID>`).
 */
export function irsaTrustPolicy(oidcProviderArn: string, issuer: string, account: ServiceAccountRef): PolicyDocument {
  return policyDocument({
    Sid: 'ControllerServiceAccountAssumesRole',
    Effect: 'Allow',
    Principal: { Federated: oidcProviderArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: {
        [`${issuer}:aud`]: 'sts.amazonaws.com',
        [`${issuer}:sub`]: `system:serviceaccount:${account.namespace}:${account.serviceAccount}`,
      },
    },
  });
}

/**
 * EKS Pod Identity: the EKS auth service assumes the role for pods of the controller's service
 * account in this cluster only, checked through the session tags it sets.
 */
export function podIdentityTrustPolicy(clusterName: string, account: ServiceAccountRef): PolicyDocument {
  return policyDocument({
    Sid: 'ControllerPodIdentityAssumesRole',
    Effect: 'Allow',
    Principal: { Service: 'pods.eks.amazonaws.com' },
    Action: ['sts:AssumeRole', 'sts:TagSession'],
    Condition: {
      StringEquals: {
        'aws:RequestTag/eks-cluster-name': clusterName,
        'aws:RequestTag/kubernetes-namespace': account.namespace,
        'aws:RequestTag/kubernetes-service-account': account.serviceAccount,
      },
    },
  });
}
