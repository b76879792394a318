/**
 * The invalid manifests under ./invalid/ and the verdict each must get, offline (`validate`)
 * and from a real API server with the generated CRDs installed. Each file breaks exactly one
 * rule. `path` is the Kubernetes field path the API server reports; `message` is a fragment
 * found in both the offline message and the API server's.
 *
 * Update cases (`oldFile` set): create `oldFile` first, then replace (PUT, e.g. `kubectl
 * replace`) it with `file`; a client-side `kubectl apply` would merge instead of replace.
 */
import { fileURLToPath } from 'node:url';

export interface InvalidCase {
  readonly name: string;
  /** Absolute path of the manifest (one YAML document). */
  readonly file: string;
  /** Absolute path of the stored object this manifest updates; only for rules on `oldSelf`. */
  readonly oldFile?: string;
  readonly kind: 'NodePool' | 'NodeClaim' | 'EC2NodeClass';
  readonly path: string;
  readonly message: string;
  /** `cel`: an x-kubernetes-validations rule; `schema`: the OpenAPI schema (type, enum, pattern, required, …). */
  readonly source: 'cel' | 'schema';
}

const dir = fileURLToPath(new URL('./invalid/', import.meta.url));

type Row = [name: string, path: string, message: string, source?: 'cel' | 'schema', update?: 'update'];

const nodePools: Row[] = [
  ['nodepool-in-without-values', 'spec.template.spec.requirements[1]', "operator 'In' or 'NotIn' need at least one entry in 'values'"],
  ['nodepool-exists-with-values', 'spec.template.spec.requirements[1]', "'Exists' or 'DoesNotExist' take no 'values'"],
  ['nodepool-gt-not-an-integer', 'spec.template.spec.requirements[1]', 'need exactly one value, a non-negative integer'],
  ['nodepool-min-values-exceeds-values', 'spec.template.spec.requirements[1]', "'minValues' is larger than the number of 'values'"],
  ['nodepool-requirement-karpenter-sh-domain', 'spec.template.spec.requirements[1].key', 'label domain "karpenter.sh" is restricted'],
  ['nodepool-requirement-hostname', 'spec.template.spec.requirements[1].key', 'label "kubernetes.io/hostname" is restricted'],
  ['nodepool-requirement-aws-domain', 'spec.template.spec.requirements[1].key', 'label domain "karpenter.k8s.aws" is restricted'],
  ['nodepool-invalid-operator', 'spec.template.spec.requirements[1].operator', 'Unsupported value: "Equals"', 'schema'],
  ['nodepool-label-kubernetes-io-domain', 'spec.template.metadata.labels', 'label domain "kubernetes.io" is restricted'],
  ['nodepool-label-k8s-io-domain', 'spec.template.metadata.labels', 'label domain "k8s.io" is restricted'],
  ['nodepool-label-nodepool', 'spec.template.metadata.labels', 'label "karpenter.sh/nodepool" is restricted'],
  ['nodepool-label-key-malformed', 'spec.template.metadata.labels', 'label keys must be an optional DNS-subdomain prefix'],
  ['nodepool-budget-schedule-without-duration', 'spec.disruption.budgets[0]', "'schedule' and 'duration' go together"],
  ['nodepool-budget-nodes-not-count-or-percent', 'spec.disruption.budgets[0].nodes', 'nodes must be a node count such as "5" or a percentage'],
  ['nodepool-budget-schedule-not-cron', 'spec.disruption.budgets[0].schedule', 'schedule must be a cron expression with five fields'],
  ['nodepool-budget-unknown-reason', 'spec.disruption.budgets[0].reasons[0]', 'Unsupported value: "Expired"', 'schema'],
  ['nodepool-consolidate-after-days', 'spec.disruption.consolidateAfter', 'consolidateAfter must be a duration'],
  ['nodepool-consolidation-policy-unknown', 'spec.disruption.consolidationPolicy', 'Unsupported value: "Always"', 'schema'],
  ['nodepool-expire-after-days', 'spec.template.spec.expireAfter', 'expireAfter must be a duration'],
  ['nodepool-termination-grace-period-never', 'spec.template.spec.terminationGracePeriod', 'terminationGracePeriod must be a duration'],
  ['nodepool-taint-effect-unknown', 'spec.template.spec.taints[0].effect', 'Unsupported value: "NoEvict"', 'schema'],
  ['nodepool-weight-over-100', 'spec.weight', 'should be less than or equal to 100', 'schema'],
  ['nodepool-missing-node-class-ref', 'spec.template.spec.nodeClassRef', 'Required value', 'schema'],
  ['nodepool-node-class-ref-empty-name', 'spec.template.spec.nodeClassRef.name', 'nodeClassRef.name may not be empty'],
  ['nodepool-static-with-weight', 'spec', "'weight' has no effect on a static NodePool"],
  ['nodepool-static-cpu-limit', 'spec', "a static NodePool (replicas set) supports only the 'nodes' limit"],
  ['nodepool-node-class-ref-group-changed', 'spec.template.spec.nodeClassRef', 'nodeClassRef.group is immutable', 'cel', 'update'],
  ['nodepool-node-class-ref-kind-changed', 'spec.template.spec.nodeClassRef', 'nodeClassRef.kind is immutable', 'cel', 'update'],
  ['nodepool-static-to-dynamic', 'spec', 'a NodePool cannot switch between static (replicas set) and dynamic', 'cel', 'update'],
  ['nodepool-label-karpenter-sh-domain', 'spec.template.metadata.labels', 'label domain "karpenter.sh" is restricted'],
  ['nodepool-label-hostname', 'spec.template.metadata.labels', 'label "kubernetes.io/hostname" is restricted'],
  ['nodepool-label-aws-domain', 'spec.template.metadata.labels', 'label domain "karpenter.k8s.aws" is restricted'],
  ['nodepool-requirement-kubernetes-io-domain', 'spec.template.spec.requirements[1].key', 'label domain "kubernetes.io" is restricted'],
  ['nodepool-requirement-k8s-io-domain', 'spec.template.spec.requirements[1].key', 'label domain "k8s.io" is restricted'],
  ['nodepool-budget-duration-seconds', 'spec.disruption.budgets[0].duration', 'duration must be hours and/or minutes'],
  ['nodepool-weight-quoted', 'spec.weight', 'must be of type integer', 'schema'],
  ['nodepool-name-too-long', 'metadata.name', 'NodePool names may have at most 63 characters'],
  ['nodepool-name-not-dns-subdomain', 'metadata.name', 'a lowercase RFC 1123 subdomain must consist of', 'schema'],
];

const nodeClasses: Row[] = [
  ['ec2nodeclass-role-and-instance-profile', 'spec', "set exactly one of 'role'"],
  ['ec2nodeclass-role-to-instance-profile', 'spec', "switching between 'role' and 'instanceProfile' is not supported", 'cel', 'update'],
  ['ec2nodeclass-alias-not-alone', 'spec.amiSelectorTerms', "an amiSelectorTerm with 'alias' must be the only amiSelectorTerm"],
  ['ec2nodeclass-alias-without-version', 'spec.amiSelectorTerms[0].alias', "alias must have the form 'family@version'"],
  ['ec2nodeclass-alias-unknown-family', 'spec.amiSelectorTerms[0].alias', 'alias family must be one of'],
  ['ec2nodeclass-windows-alias-pinned', 'spec.amiSelectorTerms[0].alias', "Windows aliases only support the version 'latest'"],
  ['ec2nodeclass-alias-with-owner', 'spec.amiSelectorTerms[0]', "'alias' must be the only field of its amiSelectorTerm"],
  ['ec2nodeclass-empty-ami-selector-term', 'spec.amiSelectorTerms[0]', 'each amiSelectorTerm needs at least one of'],
  ['ec2nodeclass-missing-ami-family', 'spec', "amiFamily is required when no amiSelectorTerm uses 'alias'"],
  ['ec2nodeclass-ami-family-mismatches-alias', 'spec', 'amiFamily must match the alias family'],
  ['ec2nodeclass-role-changed', 'spec.role', 'role is immutable', 'cel', 'update'],
  ['ec2nodeclass-empty-subnet-selector-term', 'spec.subnetSelectorTerms[0]', 'each subnetSelectorTerm needs at least one of'],
  ['ec2nodeclass-security-group-id-with-tags', 'spec.securityGroupSelectorTerms[0]', "'id' must be the only field of its securityGroupSelectorTerm"],
  ['ec2nodeclass-selector-tag-empty-value', 'spec.subnetSelectorTerms[0].tags', "empty tag keys or values aren't supported"],
  ['ec2nodeclass-tag-cluster-ownership', 'spec.tags', 'tags may not use the keys Karpenter sets to track ownership'],
  ['ec2nodeclass-tag-nodeclaim', 'spec.tags', 'tags may not use the keys Karpenter sets to track ownership'],
  ['ec2nodeclass-ebs-without-size', 'spec.blockDeviceMappings[0].ebs', "an EBS volume needs 'volumeSize'"],
  ['ec2nodeclass-two-root-volumes', 'spec.blockDeviceMappings', 'at most one blockDeviceMapping may set rootVolume: true'],
  ['ec2nodeclass-volume-size-unit', 'spec.blockDeviceMappings[0].ebs.volumeSize', "should match '^[1-9][0-9]*(Gi|G|Ti|T)$'", 'schema'],
  ['ec2nodeclass-image-gc-thresholds', 'spec.kubelet', 'imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent'],
  ['ec2nodeclass-eviction-soft-without-grace-period', 'spec.kubelet', 'every evictionSoft signal needs a grace period'],
  ['ec2nodeclass-kube-reserved-unknown-resource', 'spec.kubelet.kubeReserved', 'kubeReserved keys must be one of cpu, memory, ephemeral-storage, pid'],
  ['ec2nodeclass-hop-limit-over-64', 'spec.metadataOptions.httpPutResponseHopLimit', 'should be less than or equal to 64', 'schema'],
  ['ec2nodeclass-http-tokens-unknown', 'spec.metadataOptions.httpTokens', 'Unsupported value: "disabled"', 'schema'],
  ['ec2nodeclass-missing-subnet-selector-terms', 'spec.subnetSelectorTerms', 'Required value', 'schema'],
  ['ec2nodeclass-ami-id-with-name', 'spec.amiSelectorTerms[0]', "'id' must be the only field of its amiSelectorTerm"],
  ['ec2nodeclass-subnet-id-with-tags', 'spec.subnetSelectorTerms[0]', "'id' must be the only field of its subnetSelectorTerm"],
  ['ec2nodeclass-subnet-id-malformed', 'spec.subnetSelectorTerms[0].id', "should match '^subnet-[0-9a-z]+$'", 'schema'],
  ['ec2nodeclass-empty-security-group-selector-term', 'spec.securityGroupSelectorTerms[0]', 'each securityGroupSelectorTerm needs at least one of'],
  ['ec2nodeclass-security-group-name-with-tags', 'spec.securityGroupSelectorTerms[0]', "'name' must be the only field of its securityGroupSelectorTerm"],
  ['ec2nodeclass-capacity-reservation-id-with-owner', 'spec.capacityReservationSelectorTerms[0]', "'id' must be the only field of its capacityReservationSelectorTerm"],
  ['ec2nodeclass-tag-empty-key', 'spec.tags', 'tag keys may not be empty'],
  ['ec2nodeclass-eviction-grace-period-without-threshold', 'spec.kubelet', 'every evictionSoftGracePeriod key needs a threshold'],
  ['ec2nodeclass-system-reserved-negative', 'spec.kubelet.systemReserved', 'systemReserved values cannot be negative quantities'],
  ['ec2nodeclass-kube-reserved-negative', 'spec.kubelet.kubeReserved', 'kubeReserved values cannot be negative quantities'],
  ['ec2nodeclass-eviction-hard-unknown-signal', 'spec.kubelet.evictionHard', 'evictionHard keys must be eviction signals'],
  ['ec2nodeclass-name-too-long', 'metadata.name', 'EC2NodeClass names may have at most 63 characters'],
];

const nodeClaims: Row[] = [
  ['nodeclaim-in-without-values', 'spec.requirements[1]', "operator 'In' or 'NotIn' need at least one entry in 'values'"],
  ['nodeclaim-spec-changed', 'spec', 'spec is immutable', 'cel', 'update'],
];

const toCases = (kind: InvalidCase['kind'], rows: Row[]): InvalidCase[] =>
  rows.map(([name, path, message, source = 'cel', update]) => ({
    name,
    file: `${dir}${name}.yaml`,
    ...(update ? { oldFile: `${dir}${name}.old.yaml` } : {}),
    kind,
    path,
    message,
    source,
  }));

export const invalidCases: readonly InvalidCase[] = [
  ...toCases('NodePool', nodePools),
  ...toCases('EC2NodeClass', nodeClasses),
  ...toCases('NodeClaim', nodeClaims),
];
