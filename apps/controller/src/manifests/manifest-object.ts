import type { ManifestSource } from './manifest-source.js';

export interface ManifestMetadata {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly { readonly kind?: string; readonly name?: string; readonly controller?: boolean }[];
  readonly [field: string]: unknown;
}

/** Any Kubernetes object as parsed from YAML or JSON; kinds are interpreted later. */
export interface ManifestObject {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly metadata: ManifestMetadata;
  readonly spec?: Record<string, unknown>;
  readonly status?: Record<string, unknown>;
  readonly [field: string]: unknown;
}

/** One object of the input with its origin. */
export interface ManifestDocument {
  readonly source: ManifestSource;
  readonly object: ManifestObject;
}

export function qualifiedName(metadata: ManifestMetadata, namespaced: boolean): string {
  const name = metadata.name ?? metadata.generateName ?? '';
  return namespaced ? `${metadata.namespace ?? 'default'}/${name}` : name;
}
