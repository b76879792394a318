import * as http from 'node:http';
import * as https from 'node:https';
import { loadKubeConnection, type KubeConnection } from './kubeconfig.js';

/** An error answered by the API server, with its HTTP status and the Status reason (`Conflict`, `NotFound`, …). */
export class KubeApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly statusCode: number,
    readonly reason: string,
    message: string,
  ) {
    super(`${method} ${path}: ${statusCode} ${reason}: ${message}`);
    this.name = 'KubeApiError';
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 404;
}
export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 409 && err.reason === 'Conflict';
}
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 409 && err.reason === 'AlreadyExists';
}
export function isGone(err: unknown): boolean {
  return err instanceof KubeApiError && err.statusCode === 410;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  /** Defaults to application/json; patches pass their own content type. */
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

/**
 * The one transport to the API server: JSON requests and line-delimited watch streams over a
 * keep-alive agent, authenticated from a kubeconfig (file, `KUBECONFIG`) or the in-cluster
 * service account. Everything else in this package goes through it.
 */
export class KubeClient {
  private agent: http.Agent | undefined;

  constructor(readonly connection: KubeConnection) {}

  /** From `KUBECONFIG` (or the given file), else the in-cluster service account, else ~/.kube/config. */
  static fromEnvironment(kubeconfigPath: string | undefined = process.env.KUBECONFIG): KubeClient {
    return new KubeClient(loadKubeConnection(kubeconfigPath));
  }

  get server(): string {
    return this.connection.server;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, options);
    const text = await readBody(res);
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return (text ? JSON.parse(text) : undefined) as T;
    throw toApiError(method, path, status, text);
  }

  /**
   * Opens a watch-style stream and calls `onLine` with every parsed JSON line. Resolves when the
   * server closes the stream (watch timeout) or the signal aborts; rejects on HTTP errors.
   */
  async stream(path: string, query: Query, onLine: (value: unknown) => void, signal: AbortSignal): Promise<void> {
    const res = await this.send('GET', path, { query, signal });
    const status = res.statusCode ?? 0;
    if (status !== 200) throw toApiError('GET', path, status, await readBody(res));
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (!line) continue;
          try {
            onLine(JSON.parse(line));
          } catch (err) {
            res.destroy();
            reject(err);
            return;
          }
        }
      });
      res.on('end', () => resolve());
      res.on('close', () => resolve());
      res.on('error', (err) => (signal.aborted ? resolve() : reject(err)));
    });
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<http.IncomingMessage> {
    const url = new URL(this.server.replace(/\/$/, '') + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const c = this.connection;
    const isHttps = url.protocol === 'https:';
    this.agent ??= isHttps
      ? new https.Agent({ keepAlive: true, maxSockets: 64, ca: c.ca, cert: c.clientCert, key: c.clientKey, rejectUnauthorized: !c.insecureSkipTlsVerify, servername: c.tlsServerName })
      : new http.Agent({ keepAlive: true, maxSockets: 64 });
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: http.OutgoingHttpHeaders = { Accept: 'application/json' };
    const authorization = await c.authorization();
    if (authorization) headers.Authorization = authorization;
    if (payload) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const req = (isHttps ? https : http).request(url, { method, headers, agent: this.agent, signal: options.signal }, resolve);
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Closes idle keep-alive connections (open watches are closed by their own signals). */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function toApiError(method: string, path: string, status: number, text: string): KubeApiError {
  let reason = http.STATUS_CODES[status] ?? 'Unknown';
  let message = text.slice(0, 500);
  try {
    const parsed = JSON.parse(text) as { reason?: string; message?: string };
    reason = parsed.reason ?? reason;
    message = parsed.message ?? message;
  } catch {
    // not a Status object: keep the raw text
  }
  return new KubeApiError(method, path, status, reason, message);
}
