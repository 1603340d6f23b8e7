import type { ServerResponse } from 'node:http';

const FLUSH_BYTES = 64 * 1024;

/**
 * Writes answers. Large lists are streamed as chunks with backpressure, never built as one
 * string. With `malformed` set, the body is cut in half (a JSON text cut short never parses),
 * as a broken proxy or a dying server would send it.
 */
export class Reply {
  private malformed = false;

  constructor(
    readonly res: ServerResponse,
    private readonly date: Date,
  ) {}

  breakBody(): void {
    this.malformed = true;
  }

  json(code: number, body: unknown, headers: Record<string, string> = {}): void {
    this.send(code, JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });
  }

  text(code: number, text: string): void {
    this.send(code, text, {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    });
  }

  bytes(code: number, body: Buffer, contentType: string): void {
    const out = this.malformed ? body.subarray(0, Math.floor(body.length / 2)) : body;
    this.head(code, { 'Content-Type': contentType, 'Content-Length': String(out.length) });
    this.res.end(out);
  }

  /** Streams the concatenation of `parts` as one JSON body (chunked). */
  async stream(code: number, parts: Iterable<string>): Promise<void> {
    const { res } = this;
    this.head(code, { 'Content-Type': 'application/json' });
    let buf = '';
    for (const part of parts) {
      if (res.destroyed) return;
      buf += part;
      if (buf.length < FLUSH_BYTES) continue;
      if (this.malformed) return void res.end(half(buf));
      const ok = res.write(buf);
      buf = '';
      if (!ok) await drained(res);
    }
    if (!res.destroyed) res.end(this.malformed ? half(buf) : buf);
  }

  private send(code: number, body: string, headers: Record<string, string>): void {
    const text = this.malformed ? half(body) : body;
    this.head(code, { ...headers, 'Content-Length': String(Buffer.byteLength(text)) });
    this.res.end(text);
  }

  private head(code: number, headers: Record<string, string>): void {
    // The API server's Date is the cluster's time (SPEC §7): the simulator's clock, not the wall.
    this.res.writeHead(code, {
      ...headers,
      'Cache-Control': 'no-cache, private',
      Date: this.date.toUTCString(),
    });
  }
}

function half(text: string): string {
  return text.slice(0, Math.floor(text.length / 2));
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
