import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateTls } from './tls.js';

describe('generated TLS', () => {
  it('makes a CA and a server certificate for 127.0.0.1, ::1 and localhost signed by it', () => {
    const started = performance.now();
    const tls = generateTls();
    expect(performance.now() - started).toBeLessThan(5_000);
    const ca = new X509Certificate(tls.caPem);
    const cert = new X509Certificate(tls.certPem);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBeDefined();
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('example.com')).toBeUndefined();
  });
});
