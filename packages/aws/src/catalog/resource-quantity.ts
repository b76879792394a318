// Kubernetes quantity → canonical amount (cpu in millicores, others in base units).
// Replaced by the solver's quantity parser once @karpenter-ts/solver exports it.
const suffixes: Readonly<Record<string, number>> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

export function parseResourceQuantity(value: string, resource: string, where: string): number {
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(String(value).trim());
  const multiplier = match ? suffixes[match[2]] : undefined;
  if (!match || multiplier === undefined) {
    throw new Error(`${where}: ${resource}: "${value}" is not a Kubernetes quantity (e.g. "500m", "1Gi")`);
  }
  const amount = Number(match[1]) * multiplier;
  return resource === 'cpu' ? Math.ceil(amount * 1000) : Math.ceil(amount);
}
