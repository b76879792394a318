// The aws-auth ConfigMap keeps every IAM→Kubernetes mapping of the cluster in ONE string value,
// `mapRoles` (YAML). Terraform can only write that value whole, so the entry for the node role is
// merged into what the cluster holds at plan time, in a Terraform expression:
//   - every existing entry is kept as it is, except an older entry for the same role ARN;
//   - the node role's entry is appended;
//   - a `mapRoles` that is not valid YAML fails the plan instead of being replaced.
// Applying again with the merged value read back gives the same value, so plans stay clean.

/** The username and groups nodes need to join (see the reference, "Infrastructure a user needs"). */
export const NODE_ROLE_MAPPING = {
  username: 'system:node:{{EC2PrivateDNSName}}',
  groups: ['system:bootstrappers', 'system:nodes'],
};

/**
 * The Terraform expression (without `${}`) of the merged `mapRoles` value.
 *
 * @param existingData expression of the ConfigMap's current `data` map, e.g. `data.kubernetes_config_map_v1.aws_auth.data`
 * @param roleArn expression of the node role's ARN, e.g. `aws_iam_role.node.arn`
 */
export function mergedMapRolesExpression(existingData: string, roleArn: string): string {
  const current = `try(${existingData}["mapRoles"], "")`;
  // yamldecode runs only on a non-empty value, so invalid YAML fails instead of reading as empty.
  const entries = `flatten([for text in [${current}] : yamldecode(text) if trimspace(text) != ""])`;
  const ours = `{ rolearn = ${roleArn}, username = ${JSON.stringify(NODE_ROLE_MAPPING.username)}, groups = ${JSON.stringify(NODE_ROLE_MAPPING.groups)} }`;
  return `yamlencode(concat([for entry in ${entries} : entry if entry != null && try(entry.rolearn, "") != ${roleArn}], [${ours}]))`;
}
