import { paginateDescribeSubnets, type EC2Client, type Filter, type Subnet } from '@aws-sdk/client-ec2';
import { filtersForTerm, type SelectorTerm } from './selector-terms.js';

/** A subnet an EC2NodeClass selected, as written to its status. */
export interface ResolvedSubnet {
  readonly id: string;
  readonly zone: string;
  readonly zoneID: string;
  /** Free IPv4 addresses when resolved; launches prefer the subnet with most. */
  readonly availableIpAddressCount: number;
}

/** Every subnet any term selects, most free addresses first (ties by id for a stable order). */
export async function resolveSubnets(ec2: EC2Client, terms: readonly SelectorTerm[]): Promise<ResolvedSubnet[]> {
  const byId = new Map<string, ResolvedSubnet>();
  for (const term of terms) {
    for (const subnet of await describeSubnets(ec2, filtersForTerm(term, 'subnet-id'))) byId.set(subnet.id, subnet);
  }
  return mostFreeFirst([...byId.values()]);
}

function mostFreeFirst(subnets: ResolvedSubnet[]): ResolvedSubnet[] {
  return subnets.sort((a, b) => b.availableIpAddressCount - a.availableIpAddressCount || a.id.localeCompare(b.id));
}

/** Per zone, the subnet with the most free addresses among those not excluded (e.g. recently out of addresses). */
export function subnetPerZone(subnets: readonly ResolvedSubnet[], excluded: (subnetId: string) => boolean = () => false): Map<string, ResolvedSubnet> {
  const best = new Map<string, ResolvedSubnet>();
  for (const subnet of subnets) {
    if (excluded(subnet.id)) continue;
    const current = best.get(subnet.zone);
    if (!current || subnet.availableIpAddressCount > current.availableIpAddressCount) best.set(subnet.zone, subnet);
  }
  return best;
}

function toResolved(subnet: Subnet): ResolvedSubnet {
  return {
    id: subnet.SubnetId!,
    zone: subnet.AvailabilityZone!,
    zoneID: subnet.AvailabilityZoneId ?? '',
    availableIpAddressCount: subnet.AvailableIpAddressCount ?? 0,
  };
}


/** The given subnets with their current free-address counts (one call), most free first. */
export async function describeSubnetsById(ec2: EC2Client, subnetIds: readonly string[]): Promise<ResolvedSubnet[]> {
  if (subnetIds.length === 0) return [];
  return mostFreeFirst(await describeSubnets(ec2, [{ Name: 'subnet-id', Values: [...subnetIds] }]));
}

async function describeSubnets(ec2: EC2Client, Filters: Filter[]): Promise<ResolvedSubnet[]> {
  const subnets: ResolvedSubnet[] = [];
  for await (const page of paginateDescribeSubnets({ client: ec2 }, { Filters })) subnets.push(...(page.Subnets ?? []).map(toResolved));
  return subnets;
}
