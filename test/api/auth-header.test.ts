/**
 * The Authorization header as clients really send it: the scheme in any case, spaces around the
 * token, several headers, tokens of any length. Sent over a raw socket where a client library
 * would join or refuse what is sent.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, suiteServer } from './support.js';

const server = suiteServer();

/** One HTTP/1.1 GET of /api/v1/me with these header lines, as sent; its status and body. */
async function me(headers: string[]): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server().url);
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        ['GET /api/v1/me HTTP/1.1', `Host: ${hostname}`, 'Connection: close', ...headers, '', ''].join(
          '\r\n',
        ),
      );
    });
    let got = '';
    socket.on('data', (chunk: Buffer) => (got += chunk.toString()));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
  });
  const [head, ...rest] = text.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d+)/.exec(head!)?.[1]), body: rest.join('\r\n\r\n') };
}

describe('the Authorization header', () => {
  it.each([
    ['lower-case bearer', `bearer ${ADMIN_TOKEN}`],
    ['spaces and a tab around the token', `Bearer \t ${ADMIN_TOKEN}  `],
  ])('takes %s', async (_what, value) => {
    const r = await me([`Authorization: ${value}`]);
    expect(r.status, r.body).toBe(200);
  });

  it.each([
    ['a valid token first', [`Bearer ${ADMIN_TOKEN}`, 'Bearer someone-else']],
    ['a valid token second', ['Bearer someone-else', `Bearer ${ADMIN_TOKEN}`]],
    ['the same token twice', [`Bearer ${ADMIN_TOKEN}`, `Bearer ${ADMIN_TOKEN}`]],
  ])('given twice (%s) is refused with 400, not read as the first', async (_what, values) => {
    const r = await me(values.map((v) => `Authorization: ${v}`));
    expect(r.status, r.body).toBe(400);
    expect(JSON.parse(r.body).error).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'the Authorization header is given 2 times',
      hint: 'send one Authorization: Bearer <token> header',
    });
  });

  it.each([600, 12_000])('with a token of %i characters is a 401, not an error', async (length) => {
    const r = await me([`Authorization: Bearer ${'a'.repeat(length)}`]);
    expect(r.status, r.body).toBe(401);
    expect(JSON.parse(r.body).error.code).toBe('UNAUTHORIZED');
  });
});
