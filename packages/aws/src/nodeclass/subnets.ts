import { paginateDescribeSubnets, type EC2Client, type Subnet } from '@aws-sdk/client-ec2';
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
    const Filters = filtersForTerm(term, 'subnet-id');
    for await (const page of paginateDescribeSubnets({ client: ec2 }, { Filters })) {
      for (const subnet of page.Subnets ?? []) byId.set(subnet.SubnetId!, toResolved(subnet));
    }
  }
  return [...byId.values()].sort((a, b) => b.availableIpAddressCount - a.availableIpAddressCount || a.id.localeCompare(b.id));
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

