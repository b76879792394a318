import { Type, type Static } from '@sinclair/typebox';
import { celRules, Conditions, ObjectMeta, StringEnum, StringMap, type CelRule } from './common.js';
import { PlainRequirement } from './requirement.js';

/** Tags to match in a selector term; `*` matches any value. */
const SelectorTags = StringMap(Type.String(), {
  maxProperties: 20,
  ...celRules({
    rule: "self.all(k, k != '' && self[k] != '')",
    message: "empty tag keys or values aren't supported in selector terms (use '*' to match any value)",
  }),
});

const atLeastOne = (fields: string[], term: string): CelRule => ({
  rule: fields.map((f) => `has(self.${f})`).join(' || '),
  message: `each ${term} needs at least one of ${fields.map((f) => `'${f}'`).join(', ')}`,
});
const exclusive = (field: string, others: string[], term: string): CelRule => ({
  rule: `!has(self.${field}) || !(${others.map((f) => `has(self.${f})`).join(' || ')})`,
  message: `'${field}' must be the only field of its ${term}: move ${others.map((f) => `'${f}'`).join('/')} to a separate term`,
});

export const SubnetSelectorTerm = Type.Object(
  {
    tags: Type.Optional(SelectorTags),
    id: Type.Optional(Type.String({ pattern: '^subnet-[0-9a-z]+$' })),
  },
  {
    additionalProperties: false,
    ...celRules(atLeastOne(['tags', 'id'], 'subnetSelectorTerm'), exclusive('id', ['tags'], 'subnetSelectorTerm')),
  },
);

export const SecurityGroupSelectorTerm = Type.Object(
  {
    tags: Type.Optional(SelectorTags),
    id: Type.Optional(Type.String({ pattern: '^sg-[0-9a-z]+$' })),
    name: Type.Optional(Type.String()),
  },
  {
    additionalProperties: false,
    ...celRules(
      atLeastOne(['tags', 'id', 'name'], 'securityGroupSelectorTerm'),
      exclusive('id', ['tags', 'name'], 'securityGroupSelectorTerm'),
      exclusive('name', ['tags', 'id'], 'securityGroupSelectorTerm'),
    ),
  },
);

export const CapacityReservationSelectorTerm = Type.Object(
  {
    tags: Type.Optional(SelectorTags),
    id: Type.Optional(Type.String({ pattern: '^cr-[0-9a-z]+$' })),
    ownerID: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
  },
  {
    additionalProperties: false,
    ...celRules(
      atLeastOne(['tags', 'id'], 'capacityReservationSelectorTerm'),
      exclusive('id', ['tags', 'ownerID'], 'capacityReservationSelectorTerm'),
    ),
  },
);

export const aliasFamilies = ['al2', 'al2023', 'bottlerocket', 'windows2019', 'windows2022', 'windows2025'] as const;
const windowsAliasFamilies = aliasFamilies.filter((f) => f.startsWith('windows'));
const quoted = (values: readonly string[]) => `[${values.map((v) => `'${v}'`).join(', ')}]`;

export const AMISelectorTerm = Type.Object(
  {
    alias: Type.Optional(
      Type.String({
        maxLength: 30,
        description: 'An EKS-optimized AMI family and version, e.g. al2023@latest or bottlerocket@v1.20.0.',
        ...celRules(
          {
            rule: "self.matches('^[a-zA-Z0-9]+@.+$')",
            message: "alias must have the form 'family@version', e.g. al2023@latest or al2023@v20240807",
          },
          {
            rule: `self.find('^[^@]+') in ${quoted(aliasFamilies)}`,
            message: `alias family must be one of ${aliasFamilies.join(', ')}`,
          },
          {
            rule: `!(self.find('^[^@]+') in ${quoted(windowsAliasFamilies)}) || self.endsWith('@latest')`,
            message: "Windows aliases only support the version 'latest', e.g. windows2022@latest",
          },
        ),
      }),
    ),
    tags: Type.Optional(SelectorTags),
    id: Type.Optional(Type.String({ pattern: '^ami-[0-9a-z]+$' })),
    name: Type.Optional(Type.String()),
    owner: Type.Optional(Type.String()),
    ssmParameter: Type.Optional(Type.String()),
  },
  {
    additionalProperties: false,
    ...celRules(
      atLeastOne(['tags', 'id', 'name', 'alias', 'ssmParameter'], 'amiSelectorTerm'),
      exclusive('id', ['tags', 'name', 'alias', 'owner', 'ssmParameter'], 'amiSelectorTerm'),
      exclusive('alias', ['tags', 'id', 'name', 'owner', 'ssmParameter'], 'amiSelectorTerm'),
    ),
  },
);
export type AMISelectorTerm = Static<typeof AMISelectorTerm>;

export const AMIFamily = StringEnum([
  'AL2',
  'AL2023',
  'Bottlerocket',
  'Custom',
  'Windows2019',
  'Windows2022',
  'Windows2025',
] as const, {
  description: 'How to bootstrap the nodes (user data format and default volumes); implied by an alias, required otherwise.',
});
export type AMIFamily = Static<typeof AMIFamily>;

/** The amiFamily each alias family implies (`al2023@latest` → AL2023). */
export const amiFamilyOfAlias: Readonly<Record<(typeof aliasFamilies)[number], AMIFamily>> = {
  al2: 'AL2',
  al2023: 'AL2023',
  bottlerocket: 'Bottlerocket',
  windows2019: 'Windows2019',
  windows2022: 'Windows2022',
  windows2025: 'Windows2025',
};
/** The same, reversed, as a CEL map literal. */
const aliasFamilyOfAmiFamily = `{${Object.entries(amiFamilyOfAlias).map(([alias, family]) => `'${family}': '${alias}'`).join(', ')}}`;

export const VolumeType = StringEnum(['standard', 'io1', 'io2', 'gp2', 'sc1', 'st1', 'gp3'] as const);

export const BlockDevice = Type.Object(
  {
    deleteOnTermination: Type.Optional(Type.Boolean()),
    encrypted: Type.Optional(Type.Boolean()),
    iops: Type.Optional(Type.Integer({ minimum: 0, format: 'int64' })),
    kmsKeyID: Type.Optional(Type.String()),
    snapshotID: Type.Optional(Type.String()),
    throughput: Type.Optional(Type.Integer({ minimum: 0, format: 'int64' })),
    volumeInitializationRate: Type.Optional(Type.Integer({ minimum: 100, maximum: 300, format: 'int32' })),
    volumeSize: Type.Optional(
      Type.String({
        pattern: '^[1-9][0-9]*(Gi|G|Ti|T)$',
        description: 'Size with a unit, e.g. 20Gi or 1Ti.',
      }),
    ),
    volumeType: Type.Optional(VolumeType),
  },
  {
    additionalProperties: false,
    ...celRules({
      rule: 'has(self.snapshotID) || has(self.volumeSize)',
      message: "an EBS volume needs 'volumeSize' (e.g. 20Gi) or a 'snapshotID' to size it from",
    }),
  },
);
export type BlockDevice = Static<typeof BlockDevice>;

export const BlockDeviceMapping = Type.Object(
  {
    deviceName: Type.Optional(Type.String({ description: 'e.g. /dev/xvda' })),
    ebs: Type.Optional(BlockDevice),
    rootVolume: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type BlockDeviceMapping = Static<typeof BlockDeviceMapping>;

export const MetadataOptions = Type.Object(
  {
    httpEndpoint: StringEnum(['enabled', 'disabled'] as const, { default: 'enabled' }),
    httpProtocolIPv6: StringEnum(['enabled', 'disabled'] as const, { default: 'disabled' }),
    httpPutResponseHopLimit: Type.Integer({ minimum: 1, maximum: 64, format: 'int64', default: 1 }),
    httpTokens: StringEnum(['required', 'optional'] as const, { default: 'required' }),
  },
  {
    additionalProperties: false,
    description: 'Instance metadata service (IMDS) settings; the default requires IMDSv2 tokens and a hop limit of 1, so pods cannot reach the node role.',
    default: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
  },
);
export type MetadataOptions = Static<typeof MetadataOptions>;

const evictionSignals = ['memory.available', 'nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree', 'pid.available'];
const reservedResources = ['cpu', 'memory', 'ephemeral-storage', 'pid'];

const ReservedResources = (field: string) =>
  StringMap(Type.String({ maxLength: 64 }), {
    maxProperties: reservedResources.length,
    ...celRules(
      {
        rule: `self.all(x, x in ${quoted(reservedResources)})`,
        message: `${field} keys must be one of ${reservedResources.join(', ')}`,
      },
      {
        rule: "self.all(x, !self[x].startsWith('-'))",
        message: `${field} values cannot be negative quantities`,
      },
    ),
  });

const EvictionThresholds = (field: string) =>
  StringMap(Type.String({ pattern: '^((\\d{1,2}(\\.\\d{1,2})?|100(\\.0{1,2})?)%||(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?)$' }), {
    maxProperties: evictionSignals.length,
    ...celRules({
      rule: `self.all(x, x in ${quoted(evictionSignals)})`,
      message: `${field} keys must be eviction signals: ${evictionSignals.join(', ')}`,
    }),
  });

export const KubeletConfiguration = Type.Object(
  {
    clusterDNS: Type.Optional(Type.Array(Type.String())),
    maxPods: Type.Optional(Type.Integer({ minimum: 0, format: 'int32' })),
    podsPerCore: Type.Optional(Type.Integer({ minimum: 0, format: 'int32' })),
    systemReserved: Type.Optional(ReservedResources('systemReserved')),
    kubeReserved: Type.Optional(ReservedResources('kubeReserved')),
    evictionHard: Type.Optional(EvictionThresholds('evictionHard')),
    evictionSoft: Type.Optional(EvictionThresholds('evictionSoft')),
    evictionSoftGracePeriod: Type.Optional(
      StringMap(Type.String({ pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$' }), {
        maxProperties: evictionSignals.length,
        ...celRules({
          rule: `self.all(x, x in ${quoted(evictionSignals)})`,
          message: `evictionSoftGracePeriod keys must be eviction signals: ${evictionSignals.join(', ')}`,
        }),
      }),
    ),
    evictionMaxPodGracePeriod: Type.Optional(Type.Integer({ format: 'int32' })),
    imageGCHighThresholdPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, format: 'int32' })),
    imageGCLowThresholdPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, format: 'int32' })),
    cpuCFSQuota: Type.Optional(Type.Boolean()),
  },
  {
    additionalProperties: false,
    description: 'Kubelet settings of the nodes (max pods, reserved resources, eviction thresholds, image GC, cluster DNS).',
    ...celRules(
      {
        rule: '!has(self.imageGCHighThresholdPercent) || !has(self.imageGCLowThresholdPercent) || self.imageGCHighThresholdPercent > self.imageGCLowThresholdPercent',
        message: 'imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent',
      },
      {
        rule: '!has(self.evictionSoft) || (has(self.evictionSoftGracePeriod) && self.evictionSoft.all(e, e in self.evictionSoftGracePeriod))',
        message: 'every evictionSoft signal needs a grace period: add the same key to evictionSoftGracePeriod',
      },
      {
        rule: '!has(self.evictionSoftGracePeriod) || (has(self.evictionSoft) && self.evictionSoftGracePeriod.all(e, e in self.evictionSoft))',
        message: 'every evictionSoftGracePeriod key needs a threshold: add the same key to evictionSoft',
      },
    ),
  },
);
export type KubeletConfiguration = Static<typeof KubeletConfiguration>;

/** Tag keys Karpenter writes to track what it owns; users may not set them. */
export const restrictedTagKeys = [
  'eks:eks-cluster-name',
  'karpenter.sh/nodepool',
  'karpenter.sh/nodeclaim',
  'karpenter.sh/managed-by',
  'karpenter.k8s.aws/ec2nodeclass',
];

export const EC2NodeClassSpec = Type.Object(
  {
    amiFamily: Type.Optional(AMIFamily),
    amiSelectorTerms: Type.Array(AMISelectorTerm, {
      minItems: 1,
      maxItems: 30,
      description: 'Which AMIs to use: an alias (e.g. al2023@latest) alone, or terms by tags, name/owner, id or SSM parameter; the newest match wins.',
      ...celRules({
        rule: '!self.exists(x, has(x.alias)) || size(self) == 1',
        message: "an amiSelectorTerm with 'alias' must be the only amiSelectorTerm",
      }),
    }),
    subnetSelectorTerms: Type.Array(SubnetSelectorTerm, {
      minItems: 1,
      maxItems: 30,
      description: 'Subnets to launch into, by tags (e.g. karpenter.sh/discovery: my-cluster) or id; the terms are ORed.',
    }),
    securityGroupSelectorTerms: Type.Array(SecurityGroupSelectorTerm, {
      minItems: 1,
      maxItems: 30,
      description: 'Security groups for the nodes, by tags, id or name; the terms are ORed.',
    }),
    capacityReservationSelectorTerms: Type.Optional(
      Type.Array(CapacityReservationSelectorTerm, {
        maxItems: 30,
        description: 'On-demand capacity reservations the nodes may use, by tags or id.',
      }),
    ),
    role: Type.Optional(
      Type.String({
        maxLength: 64,
        description: 'The IAM role of the nodes; Karpenter creates and manages an instance profile for it. Exclusive with instanceProfile.',
        ...celRules(
          { rule: "self != ''", message: 'role may not be empty' },
          {
            rule: 'self == oldSelf',
            message: 'role is immutable (instance profiles of running nodes depend on it): create a new EC2NodeClass to use another role',
          },
        ),
      }),
    ),
    instanceProfile: Type.Optional(
      Type.String({
        maxLength: 128,
        description: 'An existing instance profile for the nodes, managed by you. Exclusive with role.',
        ...celRules({ rule: "self != ''", message: 'instanceProfile may not be empty' }),
      }),
    ),
    userData: Type.Optional(
      Type.String({ description: 'Extra user data in the AMI family\'s format; Karpenter merges its bootstrap configuration into it.' }),
    ),
    tags: Type.Optional(
      StringMap(Type.String(), {
        maxProperties: 50,
        description: 'Tags for the instances, volumes and launch templates Karpenter creates.',
        ...celRules(
          { rule: "self.all(k, k != '')", message: 'tag keys may not be empty' },
          {
            rule: `self.all(k, !(k in ${quoted(restrictedTagKeys)}) && !k.startsWith('kubernetes.io/cluster'))`,
            message: `tags may not use the keys Karpenter sets to track ownership: ${restrictedTagKeys.join(', ')}, kubernetes.io/cluster/*`,
          },
        ),
      }),
    ),
    kubelet: Type.Optional(KubeletConfiguration),
    blockDeviceMappings: Type.Optional(
      Type.Array(BlockDeviceMapping, {
        maxItems: 50,
        description: 'The EBS volumes of the nodes; when omitted, a root volume chosen by the AMI family (e.g. 20Gi encrypted gp3).',
        ...celRules({
          rule: 'self.filter(x, has(x.rootVolume) && x.rootVolume).size() <= 1',
          message: 'at most one blockDeviceMapping may set rootVolume: true',
        }),
      }),
    ),
    instanceStorePolicy: Type.Optional(
      StringEnum(['RAID0'] as const, { description: 'RAID0: stripe the local NVMe disks and use them for images and pods.' }),
    ),
    detailedMonitoring: Type.Optional(Type.Boolean({ description: 'Enable EC2 detailed (1-minute) monitoring.' })),
    associatePublicIPAddress: Type.Optional(
      Type.Boolean({ description: 'Give the nodes public IPv4 addresses; by default the subnet decides.' }),
    ),
    metadataOptions: MetadataOptions,
    context: Type.Optional(Type.String({ description: 'The CreateFleet Context field (reserved by EC2).' })),
  },
  {
    additionalProperties: false,
    ...celRules(
      {
        rule: 'has(self.role) != has(self.instanceProfile)',
        message: "set exactly one of 'role' (Karpenter creates the instance profile) or 'instanceProfile' (you manage it)",
      },
      {
        rule: '(has(oldSelf.role) && has(self.role)) || (has(oldSelf.instanceProfile) && has(self.instanceProfile))',
        message: "switching between 'role' and 'instanceProfile' is not supported: create a new EC2NodeClass instead",
      },
      {
        rule: `!has(self.amiFamily) || self.amiFamily == 'Custom' || self.amiSelectorTerms.all(x, !has(x.alias) || x.alias.find('^[^@]+') == ${aliasFamilyOfAmiFamily}[self.amiFamily])`,
        message: "amiFamily must match the alias family (e.g. AL2023 with al2023@latest) or be Custom; or leave amiFamily out",
      },
      {
        rule: 'self.amiSelectorTerms.exists(x, has(x.alias)) || has(self.amiFamily)',
        message: "amiFamily is required when no amiSelectorTerm uses 'alias' (set amiFamily, e.g. AL2023 or Custom)",
      },
    ),
  },
);
export type EC2NodeClassSpec = Static<typeof EC2NodeClassSpec>;

export const EC2NodeClassStatus = Type.Object(
  {
    subnets: Type.Optional(
      Type.Array(
        Type.Object(
          { id: Type.String(), zone: Type.String(), zoneID: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
      ),
    ),
    securityGroups: Type.Optional(
      Type.Array(Type.Object({ id: Type.String(), name: Type.Optional(Type.String()) }, { additionalProperties: false })),
    ),
    amis: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String(),
            name: Type.Optional(Type.String()),
            deprecated: Type.Optional(Type.Boolean()),
            requirements: Type.Array(PlainRequirement),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    capacityReservations: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String(),
            availabilityZone: Type.String(),
            instanceType: Type.String(),
            ownerID: Type.String(),
            instanceMatchCriteria: Type.Optional(StringEnum(['open', 'targeted'] as const)),
            reservationType: Type.Optional(StringEnum(['default', 'capacity-block'] as const)),
            state: Type.Optional(StringEnum(['active', 'expiring'] as const)),
            endTime: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    instanceProfile: Type.Optional(Type.String()),
    conditions: Type.Optional(Conditions),
  },
  { additionalProperties: false },
);
export type EC2NodeClassStatus = Static<typeof EC2NodeClassStatus>;

/** `karpenter.k8s.aws/v1` EC2NodeClass: how to launch EC2 instances for the NodePools that reference it. */
export const EC2NodeClass = Type.Object(
  {
    apiVersion: Type.Literal('karpenter.k8s.aws/v1'),
    kind: Type.Literal('EC2NodeClass'),
    metadata: ObjectMeta,
    spec: EC2NodeClassSpec,
    status: Type.Optional(EC2NodeClassStatus),
  },
  { additionalProperties: false },
);
export type EC2NodeClass = Static<typeof EC2NodeClass>;
