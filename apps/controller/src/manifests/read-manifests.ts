import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { ManifestDocument, ManifestObject } from './manifest-object.js';
import { ManifestError, type ManifestSource } from './manifest-source.js';

const manifestExtensions = new Set(['.yaml', '.yml', '.json']);

/**
 * Reads every manifest from files, directories (recursively, `*.yaml|*.yml|*.json`, in name
 * order) and `-` (standard input). Multi-document YAML, JSON and `List` objects (as printed by
 * `kubectl get … -o yaml`) are flattened into one object per document or item.
 */
export function readManifests(paths: readonly string[], readStdin: () => string = () => readFileSync(0, 'utf8')): ManifestDocument[] {
  const documents: ManifestDocument[] = [];
  for (const path of paths) {
    if (path === '-') {
      documents.push(...parseManifests(readStdin(), '<stdin>'));
      continue;
    }
    for (const file of manifestFiles(path)) documents.push(...parseManifests(readFileSync(file, 'utf8'), file));
  }
  return documents;
}

function manifestFiles(path: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new ManifestError(undefined, `${path}: no such file or directory`);
  }
  if (!stats.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return manifestFiles(child);
      return manifestExtensions.has(extname(entry.name)) ? [child] : [];
    });
}

/** Parses one file's text (YAML or JSON) into objects; throws a ManifestError naming the document and line. */
export function parseManifests(text: string, file: string): ManifestDocument[] {
  // JSON (e.g. `kubectl get … -o json`) parses far faster natively; YAML parsing of the same text
  // only runs when it is not valid JSON, and then reports the position of the error.
  if (/^\s*[[{]/.test(text)) {
    try {
      return objectsOf(JSON.parse(text), { file, document: 1 });
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
  }
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  const result: ManifestDocument[] = [];
  documents.forEach((doc, i) => {
    const document = i + 1;
    const error = doc.errors[0];
    if (error) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      throw new ManifestError({ file, document }, `malformed YAML at line ${line}, column ${col}: ${error.message.split('\n')[0]}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // empty document, e.g. a trailing `---`
    result.push(...objectsOf(value, { file, document }));
  });
  return result;
}

function objectsOf(value: unknown, source: ManifestSource): ManifestDocument[] {
  if (!isRecord(value)) throw new ManifestError(source, 'expected a Kubernetes object (a mapping with apiVersion and kind)');
  const kind = value.kind;
  if (typeof kind !== 'string' || kind === '') {
    throw new ManifestError(source, 'missing "kind": every object needs apiVersion and kind (e.g. apiVersion: v1, kind: Pod)');
  }
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items))) {
    if (!Array.isArray(value.items)) throw new ManifestError(source, `${kind} without "items"`);
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    return value.items.flatMap((item, i) => {
      const itemSource = { ...source, item: i + 1 };
      // `kubectl get deploy -o yaml` omits kind on items of a typed list.
      const withKind = isRecord(item) && item.kind === undefined && itemKind ? { ...item, kind: itemKind } : item;
      return objectsOf(withKind, itemSource);
    });
  }
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const object = { ...value, kind, metadata } as ManifestObject;
  return [{ source: { ...source, kind, name: namespace && name ? `${namespace}/${name}` : name }, object }];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
