import type { Filter } from '@aws-sdk/client-ec2';

/** A selector term of an EC2NodeClass: terms are ORed, the fields inside one term are ANDed. */
export interface SelectorTerm {
  readonly tags?: Readonly<Record<string, string>>;
  readonly id?: string;
  readonly name?: string;
}

/**
 * EC2 filters for one term. A tag value of `*` matches any value (the key must exist); other
 * values may use EC2's own `*`/`?` wildcards.
 */
export function filtersForTerm(term: SelectorTerm, idFilter: string, nameFilter?: string): Filter[] {
  const filters: Filter[] = [];
  if (term.id) filters.push({ Name: idFilter, Values: [term.id] });
  if (term.name && nameFilter) filters.push({ Name: nameFilter, Values: [term.name] });
  for (const [key, value] of Object.entries(term.tags ?? {})) {
    filters.push(value === '*' ? { Name: 'tag-key', Values: [key] } : { Name: `tag:${key}`, Values: [value] });
  }
  return filters;
}

/** Renders terms for an error message, e.g. `[{tags: {karpenter.sh/discovery: demo}}]`. */
export function describeTerms(terms: readonly object[]): string {
  return JSON.stringify(terms);
}
