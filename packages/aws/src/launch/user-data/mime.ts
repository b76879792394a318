import { createHash } from 'node:crypto';
import { InvalidUserDataError } from './node-bootstrap.js';

/** One part of a MIME multipart user-data document. */
export interface MimePart {
  readonly contentType: string;
  readonly body: string;
}

/** True when the user data is already a MIME multipart document (as cloud-init and nodeadm accept). */
export function isMimeMultipart(userData: string): boolean {
  return /^mime-version:/im.test(userData.split(/\r?\n\r?\n/, 1)[0] ?? '');
}

/** Splits a MIME multipart document into its parts; rejects one without a boundary. */
export function parseMimeMultipart(document: string): MimePart[] {
  const text = document.replace(/\r\n/g, '\n');
  const headerEnd = text.indexOf('\n\n');
  const headers = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const boundary = /boundary="?([^";\n]+)"?/i.exec(headers)?.[1];
  if (!boundary) throw new InvalidUserDataError('MIME user data has no multipart boundary in its Content-Type header');
  const parts: MimePart[] = [];
  for (const chunk of text.slice(headerEnd + 2).split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const body = chunk.replace(/^\n/, '');
    const split = body.indexOf('\n\n');
    const partHeaders = split < 0 ? body : body.slice(0, split);
    const contentType = /^content-type:\s*(.+)$/im.exec(partHeaders)?.[1]?.trim() ?? 'text/x-shellscript';
    parts.push({ contentType, body: split < 0 ? '' : body.slice(split + 2).replace(/\n$/, '') });
  }
  return parts;
}

/** Joins parts into a MIME multipart document with a boundary derived from the content (stable, collision-free). */
export function formatMimeMultipart(parts: readonly MimePart[]): string {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part.contentType).update('\0').update(part.body).update('\0');
  const boundary = `karpenter-ts-${digest.digest('hex').slice(0, 16)}`;
  const lines = ['MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`, ''];
  for (const part of parts) {
    lines.push(`--${boundary}`, `Content-Type: ${part.contentType}`, '', part.body.replace(/\n$/, ''));
  }
  lines.push(`--${boundary}--`, '');
  return lines.join('\n');
}
