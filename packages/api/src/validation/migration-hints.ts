/**
 * What a field or value from karpenter.sh/v1beta1 or karpenter.k8s.aws/v1beta1 became in v1,
 * so a manifest half-way through the migration gets told where things went, not just that they
 * are unknown. Keyed by field path without list indices.
 */
const movedFields: Readonly<Record<string, string>> = {
  'spec.template.spec.kubelet': 'in v1, kubelet settings moved to the EC2NodeClass (spec.kubelet)',
  'spec.disruption.expireAfter': 'in v1, expireAfter moved to spec.template.spec.expireAfter',
  'spec.template.spec.nodeClassRef.apiVersion': 'in v1, nodeClassRef names the API group instead (group: karpenter.k8s.aws)',
  'spec.template.spec.resources': 'NodePool templates take no resources in v1: Karpenter sizes each node from its pods',
};

const renamedValues: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'spec.disruption.consolidationPolicy': { WhenUnderutilized: 'in v1, WhenUnderutilized is called WhenEmptyOrUnderutilized' },
  'spec.amiFamily': { Ubuntu: 'v1 has no Ubuntu family: select your Ubuntu AMI in amiSelectorTerms and use amiFamily: Custom with your own userData' },
};

const withoutIndices = (path: string) => path.replace(/\[[^\]]*\]/g, '');

export const movedFieldHint = (path: string): string | undefined => movedFields[withoutIndices(path)];
export const renamedValueHint = (path: string, value: string): string | undefined => renamedValues[withoutIndices(path)]?.[value];
