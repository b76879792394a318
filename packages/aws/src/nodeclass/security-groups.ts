import { paginateDescribeSecurityGroups, type EC2Client } from '@aws-sdk/client-ec2';
import { filtersForTerm, type SelectorTerm } from './selector-terms.js';

export interface ResolvedSecurityGroup {
  readonly id: string;
  readonly name: string;
}

/** Every security group any term selects (by id, group name or tags), sorted by id. */
export async function resolveSecurityGroups(ec2: EC2Client, terms: readonly SelectorTerm[]): Promise<ResolvedSecurityGroup[]> {
  const byId = new Map<string, ResolvedSecurityGroup>();
  for (const term of terms) {
    const Filters = filtersForTerm(term, 'group-id', 'group-name');
    for await (const page of paginateDescribeSecurityGroups({ client: ec2 }, { Filters })) {
      for (const group of page.SecurityGroups ?? []) byId.set(group.GroupId!, { id: group.GroupId!, name: group.GroupName ?? '' });
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
