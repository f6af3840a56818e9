import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable, Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';

export interface InProcessRequest {
  method: string;
  /** Path and query string. */
  url: string;
  /** Lower-case names. */
  headers: IncomingHttpHeaders;
  payload?: string | Buffer;
  remoteAddress?: string;
}

export interface InProcessResponse {
  statusCode: number;
  /** Lower-case names, as the pipeline set them. */
  headers: OutgoingHttpHeaders;
  body: string;
  /** The body as sent, for answers that are not text (files, images). */
  bytes: Buffer;
}

/**
 * Sends a request through the server's whole pipeline (`app.routing`: router, hooks, body parsers,
 * validation, handler, error handler, serializer) with no socket: the request is a stream of its
 * body, the response collects what the pipeline writes. Much cheaper than `app.inject`, which
 * builds full HTTP messages for a test client to read, while every step the route takes is the same.
 */
export function sendInProcess(app: FastifyInstance, request: InProcessRequest): Promise<InProcessResponse> {
  return new Promise((resolve, reject) => {
    const body = request.payload === undefined ? undefined : Buffer.from(request.payload);
    const headers: IncomingHttpHeaders = body === undefined ? request.headers : { ...request.headers, 'content-length': String(body.length) };
    const incoming = new BodyStream(request.method, request.url, headers, body, request.remoteAddress);
    const response = new CollectedResponse();
    response.once('finish', () => resolve(response.result()));
    response.once('close', () => {
      if (!response.writableFinished) reject(new Error(`${request.method} ${request.url}: the response was closed unfinished`));
    });
    app.routing(incoming as unknown as IncomingMessage, response as unknown as ServerResponse);
  });
}

/** What the pipeline reads of an incoming request: its line, headers, peer and body. */
class BodyStream extends Readable {
  readonly httpVersion = '1.1';
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor = 1;
  readonly rawHeaders: string[] = [];
  readonly aborted = false;
  readonly complete = true;
  readonly socket: { remoteAddress: string | undefined; encrypted: boolean; destroyed: boolean };

  constructor(
    readonly method: string,
    public url: string,
    readonly headers: IncomingHttpHeaders,
    private body: Buffer | undefined,
    remoteAddress: string | undefined,
  ) {
    super();
    this.socket = { remoteAddress, encrypted: false, destroyed: false };
  }

  /** Older readers of the peer's address still ask the connection. */
  get connection() {
    return this.socket;
  }

  override _read(): void {
    if (this.body !== undefined && this.body.length > 0) this.push(this.body);
    this.body = undefined;
    this.push(null);
  }
}

/** The response side: status and headers as written, and the body's bytes, streamed or whole. */
class CollectedResponse extends Writable {
  statusCode = 200;
  headersSent = false;
  private readonly fields: OutgoingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.headersSent = true;
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    done();
  }

  writeHead(statusCode: number, headers?: OutgoingHttpHeaders): this {
    this.statusCode = statusCode;
    if (headers) for (const [name, value] of Object.entries(headers)) if (value !== undefined) this.fields[name.toLowerCase()] = value;
    this.headersSent = true;
    return this;
  }

  setHeader(name: string, value: number | string | string[]): this {
    this.fields[name.toLowerCase()] = value;
    return this;
  }

  getHeader(name: string) {
    return this.fields[name.toLowerCase()];
  }

  getHeaders(): OutgoingHttpHeaders {
    return { ...this.fields };
  }

  hasHeader(name: string): boolean {
    return this.fields[name.toLowerCase()] !== undefined;
  }

  removeHeader(name: string): void {
    delete this.fields[name.toLowerCase()];
  }

  result(): InProcessResponse {
    const bytes = Buffer.concat(this.chunks);
    return { statusCode: this.statusCode, headers: this.fields, body: bytes.toString(), bytes };
  }
}
