import type { TObject } from '@sinclair/typebox';
import { Labels } from '../labels.js';
import { EC2NodeClass } from '../schema/ec2nodeclass.js';
import { NodeClaim } from '../schema/nodeclaim.js';
import { NodePool } from '../schema/nodepool.js';
import { toStructural, type StructuralSchema } from './structural.js';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'date' | 'number' | 'boolean';
  jsonPath: string;
  priority?: number;
  description?: string;
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; categories?: string[]; shortNames?: string[] };
    scope: 'Cluster' | 'Namespaced';
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: StructuralSchema };
      subresources: { status: Record<string, never>; scale?: { specReplicasPath: string; statusReplicasPath: string } };
      additionalPrinterColumns: PrinterColumn[];
    }[];
  };
}

const ready: PrinterColumn = { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' };
const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const label = (key: string) => `.metadata.labels.${key.replaceAll('.', '\\.')}`;

function rootSchema({ schema: kind, description, nameIsLabelValue }: Definition): StructuralSchema {
  return {
    description,
    type: 'object',
    properties: {
      apiVersion: { type: 'string', description: 'The versioned schema of this object.' },
      kind: { type: 'string', description: 'The REST resource this object represents.' },
      metadata: {
        type: 'object',
        ...(nameIsLabelValue
          ? {
              properties: {
                name: {
                  type: 'string',
                  'x-kubernetes-validations': [
                    {
                      rule: 'size(self) <= 63',
                      message: `${nameIsLabelValue.kind} names may have at most 63 characters: every node carries the name in its ${nameIsLabelValue.label} label`,
                    },
                  ],
                },
              },
            }
          : {}),
      },
      spec: toStructural(kind.properties.spec),
      status: toStructural(kind.properties.status),
    },
    required: ['spec'],
  };
}

interface Definition {
  group: string;
  kind: string;
  plural: string;
  schema: TObject;
  description: string;
  printerColumns: PrinterColumn[];
  categories?: string[];
  shortNames?: string[];
  scale?: { specReplicasPath: string; statusReplicasPath: string };
  /** The object's name becomes a node label value, so it must fit one. */
  nameIsLabelValue?: { kind: string; label: string };
}

function customResourceDefinition(d: Definition): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${d.plural}.${d.group}` },
    spec: {
      group: d.group,
      names: {
        kind: d.kind,
        listKind: `${d.kind}List`,
        plural: d.plural,
        singular: d.kind.toLowerCase(),
        ...(d.categories ? { categories: d.categories } : {}),
        ...(d.shortNames ? { shortNames: d.shortNames } : {}),
      },
      scope: 'Cluster',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: rootSchema(d) },
          subresources: { status: {}, ...(d.scale ? { scale: d.scale } : {}) },
          additionalPrinterColumns: d.printerColumns,
        },
      ],
    },
  };
}

export const nodePoolCrd = customResourceDefinition({
  group: 'karpenter.sh',
  kind: 'NodePool',
  plural: 'nodepools',
  schema: NodePool,
  description: 'NodePool is the Schema for the NodePools API: which nodes Karpenter may launch, and how it may disrupt them.',
  categories: ['karpenter'],
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.nodes' },
  nameIsLabelValue: { kind: 'NodePool', label: Labels.nodePool },
  printerColumns: [
    { name: 'NodeClass', type: 'string', jsonPath: '.spec.template.spec.nodeClassRef.name' },
    { name: 'Nodes', type: 'string', jsonPath: '.status.resources.nodes' },
    ready,
    age,
    { name: 'Weight', type: 'integer', jsonPath: '.spec.weight', priority: 1 },
    { name: 'CPU', type: 'string', jsonPath: '.status.resources.cpu', priority: 1 },
    { name: 'Memory', type: 'string', jsonPath: '.status.resources.memory', priority: 1 },
  ],
});

export const nodeClaimCrd = customResourceDefinition({
  group: 'karpenter.sh',
  kind: 'NodeClaim',
  plural: 'nodeclaims',
  schema: NodeClaim,
  description: 'NodeClaim is the Schema for the NodeClaims API: one node Karpenter requested and manages.',
  categories: ['karpenter'],
  printerColumns: [
    { name: 'Type', type: 'string', jsonPath: label('node.kubernetes.io/instance-type') },
    { name: 'Capacity', type: 'string', jsonPath: label('karpenter.sh/capacity-type') },
    { name: 'Zone', type: 'string', jsonPath: label('topology.kubernetes.io/zone') },
    { name: 'Node', type: 'string', jsonPath: '.status.nodeName' },
    ready,
    age,
    { name: 'ImageID', type: 'string', jsonPath: '.status.imageID', priority: 1 },
    { name: 'ID', type: 'string', jsonPath: '.status.providerID', priority: 1 },
    { name: 'NodePool', type: 'string', jsonPath: label('karpenter.sh/nodepool'), priority: 1 },
    { name: 'NodeClass', type: 'string', jsonPath: '.spec.nodeClassRef.name', priority: 1 },
  ],
});

export const ec2NodeClassCrd = customResourceDefinition({
  group: 'karpenter.k8s.aws',
  kind: 'EC2NodeClass',
  plural: 'ec2nodeclasses',
  schema: EC2NodeClass,
  description: 'EC2NodeClass is the Schema for the EC2NodeClass API: how to launch EC2 instances (AMI, subnets, security groups, role, …).',
  categories: ['karpenter'],
  shortNames: ['ec2nc', 'ec2ncs'],
  nameIsLabelValue: { kind: 'EC2NodeClass', label: Labels.ec2NodeClass },
  printerColumns: [ready, age, { name: 'Role', type: 'string', jsonPath: '.spec.role', priority: 1 }],
});

/** The CRDs this project serves, with the file name upstream uses for each. */
export const customResourceDefinitions: readonly { fileName: string; crd: CustomResourceDefinition }[] = [
  { fileName: 'karpenter.sh_nodepools.yaml', crd: nodePoolCrd },
  { fileName: 'karpenter.sh_nodeclaims.yaml', crd: nodeClaimCrd },
  { fileName: 'karpenter.k8s.aws_ec2nodeclasses.yaml', crd: ec2NodeClassCrd },
];

/** The CRD of each kind, by `kind`. */
export const crdsByKind: Readonly<Record<string, CustomResourceDefinition>> = Object.fromEntries(
  customResourceDefinitions.map(({ crd }) => [crd.spec.names.kind, crd]),
);
