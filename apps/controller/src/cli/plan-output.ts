import { stringify } from 'yaml';
import type { PlanSummary } from '../ledger/index.js';
import type { Plan } from './plan.js';

export type OutputFormat = 'table' | 'json' | 'yaml';
export const outputFormats: readonly OutputFormat[] = ['table', 'json', 'yaml'];

/** The plan as the chosen format; json and yaml carry exactly the PlanSummary document. */
export function formatPlan(plan: Plan, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(plan.summary, null, 2)}\n`;
  if (format === 'yaml') return stringify(plan.summary);
  return planTable(plan);
}

const GiB = 2 ** 30;

function cpu(millis: number | undefined): string {
  // Cores, two decimals below 10 and one above, without trailing zeros: 0.25, 1.5, 382.9, 383.
  const value = (millis ?? 0) / 1000;
  return String(Number(value.toFixed(value < 10 ? 2 : 1)));
}

function memory(bytes: number | undefined): string {
  return `${((bytes ?? 0) / GiB).toFixed(1)}Gi`;
}

function usd(price: number): string {
  return `$${price.toFixed(4)}`;
}

/**
 * One row per NodeClaim, totals, the lower bound and the ratio, then each unschedulable pod
 * with its reason per NodePool.
 */
export function planTable(plan: Plan): string {
  const header = ['NODEPOOL', 'INSTANCE TYPE', 'CAPACITY', 'ZONE', 'CPU REQ/ALLOC', 'MEMORY REQ/ALLOC', 'PODS', 'PRICE/H'];
  const body = plan.rows.map(({ claim, allocatable, requestAmounts }) => [
    claim.nodePool,
    `${claim.instanceTypes[0] ?? '-'}${claim.instanceTypes.length > 1 ? ` (+${claim.instanceTypes.length - 1})` : ''}`,
    claim.capacityType,
    claim.zones.length === 1 ? claim.zones[0] : `any of ${claim.zones.length}`,
    `${cpu(requestAmounts.cpu)}/${cpu(allocatable.cpu)}`,
    `${memory(requestAmounts.memory)}/${memory(allocatable.memory)}`,
    String(claim.pods.length),
    usd(claim.pricePerHour),
  ]);
  const lines: string[] = [];
  if (body.length > 0) lines.push(...alignColumns([header, ...body], new Set([6, 7])));
  else lines.push('No new NodeClaims needed.');
  lines.push('');
  lines.push(...totals(plan));
  if (plan.summary.unschedulable.length > 0) {
    lines.push('', `UNSCHEDULABLE PODS (${plan.summary.unschedulable.length})`);
    lines.push(...unschedulableLines(plan.summary));
  }
  return `${lines.join('\n')}\n`;
}

function totals(plan: Plan): string[] {
  const { summary } = plan;
  const placed = summary.nodeClaims.reduce((sum, c) => sum + c.pods.length, 0);
  const ratio = summary.lowerBoundPricePerHour > 0 ? (summary.totalPricePerHour / summary.lowerBoundPricePerHour).toFixed(2) : '-';
  const lines = [
    `Total:        ${summary.nodeClaims.length} NodeClaims for ${placed} of ${plan.podCount} pods, ${usd(summary.totalPricePerHour)}/hour (${usd(summary.totalPricePerHour * 730)}/month)`,
    `Lower bound:  ${usd(summary.lowerBoundPricePerHour)}/hour (fractional capacity at the cheapest price per unit); ratio ${ratio}`,
  ];
  if (plan.podsOnExistingNodes > 0) lines.push(`Existing:     ${plan.podsOnExistingNodes} pods fit on existing nodes`);
  return lines;
}

/** Each unschedulable pod, then its reason per NodePool, indented. */
export function unschedulableLines(summary: Pick<PlanSummary, 'unschedulable'>): string[] {
  const lines: string[] = [];
  for (const { pod, reasons } of summary.unschedulable) {
    lines.push(`  ${pod}`);
    for (const [pool, reason] of Object.entries(reasons)) lines.push(`    ${pool === '*' ? 'all NodePools' : pool}: ${reason}`);
  }
  return lines;
}

/** Pads cells so columns line up; the first row is the header. */
export function alignColumns(rows: readonly string[][], rightAligned: ReadonlySet<number> = new Set()): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}
