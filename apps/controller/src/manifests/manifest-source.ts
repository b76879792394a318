/** Where a manifest object came from, so every error and warning can point at it. */
export interface ManifestSource {
  /** The file path as given, or `<stdin>`. */
  readonly file: string;
  /** 1-based index of the YAML document in the file. */
  readonly document: number;
  /** 1-based index in a `List`'s items, when the object came from a List. */
  readonly item?: number;
  readonly kind?: string;
  /** `namespace/name` or `name`. */
  readonly name?: string;
}

export function describeSource(source: ManifestSource): string {
  const where = `${source.file}, document ${source.document}${source.item ? `, item ${source.item}` : ''}`;
  const what = [source.kind, source.name].filter(Boolean).join(' ');
  return what ? `${where} (${what})` : where;
}

/** A problem in the user's manifests: printed as one line, without a stack trace. */
export class ManifestError extends Error {
  constructor(
    readonly source: ManifestSource | undefined,
    readonly problem: string,
  ) {
    super(source ? `${describeSource(source)}: ${problem}` : problem);
    this.name = 'ManifestError';
  }
}
