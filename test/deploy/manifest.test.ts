/**
 * deploy/kubernetes/kubetally.yaml and deploy/Dockerfile fit together and with rbac.yaml, and the
 * container as the manifest configures it starts: its probes answer, the secret's admin token and
 * encryption key are taken, and it stops cleanly on SIGTERM and starts again on the same volume.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KEY_FILE_NAME } from '../../src/ledger/secret-box.js';
import { startKubetally } from '../support/processes.js';

type Doc = { kind: string; metadata: { name: string; namespace?: string } } & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const text = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const docsOf = (path: string) => parseAllDocuments(text(path)).map((d) => d.toJS() as Doc);
const manifest = docsOf('deploy/kubernetes/kubetally.yaml');
const rbac = docsOf('deploy/kubernetes/rbac.yaml');
const one = (docs: Doc[], kind: string) => docs.find((d) => d.kind === kind)!;
const deployment = one(manifest, 'Deployment');
const pod = deployment.spec.template;
const container = pod.spec.containers[0];
const portNames = new Set<string>(container.ports.map((p: { name: string }) => p.name));
const version = (JSON.parse(text('package.json')) as { version: string; files: string[] }).version;

/** The secret's keys as the manifest's own instructions create them (`--from-literal=KEY=`). */
const createdKeys = [...text('deploy/kubernetes/kubetally.yaml').matchAll(/--from-literal=([a-z-]+)=/g)].map(
  (m) => m[1],
);

describe('the Kubernetes manifest', () => {
  it("runs in rbac.yaml's namespace as its service account", () => {
    const namespace = one(rbac, 'Namespace').metadata.name;
    expect(manifest.map((d) => d.metadata.namespace)).toEqual(manifest.map(() => namespace));
    expect(pod.spec.serviceAccountName).toBe(one(rbac, 'ServiceAccount').metadata.name);
  });

  it('wires selectors, ports, probes and volumes to what exists', () => {
    const service = one(manifest, 'Service');
    expect(pod.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(pod.metadata.labels).toMatchObject(service.spec.selector);
    expect(portNames.has(service.spec.ports[0].targetPort)).toBe(true);
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect(portNames.has(container[probe].httpGet.port), probe).toBe(true);
    }
    const args = container.args as string[];
    expect(Number(args[args.indexOf('--port') + 1])).toBe(container.ports[0].containerPort);
    const volumes = new Map<string, Doc>(pod.spec.volumes.map((v: Doc & { name: string }) => [v.name, v]));
    for (const m of container.volumeMounts) expect(volumes.has(m.name), m.name).toBe(true);
    expect(volumes.get('data')!.persistentVolumeClaim.claimName).toBe(
      one(manifest, 'PersistentVolumeClaim').metadata.name,
    );
    const dataDir = container.env.find((e: { name: string }) => e.name === 'KUBETALLY_DATA_DIR').value;
    expect(container.volumeMounts.find((m: { name: string }) => m.name === 'data').mountPath).toBe(dataDir);
  });

  it('reads from the secret the keys its instructions create, and only those unless optional', () => {
    const refs = container.env
      .filter((e: Doc) => e.valueFrom?.secretKeyRef !== undefined)
      .map((e: Doc) => e.valueFrom.secretKeyRef as { key: string; optional?: boolean });
    expect(
      refs.filter((r: { optional?: boolean }) => r.optional !== true).map((r: { key: string }) => r.key),
    ).toEqual(createdKeys);
  });

  it('names the image of this version, which deploy/Dockerfile builds with every file the package ships', () => {
    expect(container.image).toBe(`kubetally:${version}`);
    const dockerfile = text('deploy/Dockerfile');
    expect(dockerfile).toContain(`-t kubetally:${version} .`);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const shipped = (JSON.parse(text('package.json')) as { files: string[] }).files.filter((f) =>
      existsSync(new URL(`../../${f}`, import.meta.url)),
    );
    for (const f of shipped)
      expect(runtime, f).toMatch(new RegExp(`\\nCOPY (--from=build /app/)?${f} \\./${f}\\n`));
    expect(runtime).toContain('ENTRYPOINT ["node", "/app/bin/kubetally.js"]');
  });
});

describe('the container as configured', () => {
  it('starts, answers its probes with the secret it is given, stops on SIGTERM and starts again', async () => {
    const volume = await mkdtemp(join(tmpdir(), 'kubetally-volume-'));
    const secret: Record<string, string> = {
      'admin-token': randomBytes(24).toString('hex'), // openssl rand -hex 24
      'encryption-key': randomBytes(32).toString('base64'), // openssl rand -base64 32
    };
    const env: Record<string, string> = {};
    for (const e of container.env as Doc[]) {
      const ref = e.valueFrom?.secretKeyRef as { key: string } | undefined;
      const value = ref === undefined ? (e.value as string) : secret[ref.key];
      if (value !== undefined) env[e.name as string] = value;
    }
    env.KUBETALLY_DATA_DIR = volume; // the volume's mount path, here
    // The container listens on 0.0.0.0:8080; here on a free port of the loopback.
    const args = (container.args as string[]).map((a, i, all) =>
      all[i - 1] === '--port' ? '0' : all[i - 1] === '--host' ? '127.0.0.1' : a,
    );
    try {
      for (let start = 0; start < 2; start++) {
        const serve = await startKubetally(args, env, /listening on (http:\/\/\S+)/);
        try {
          for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
            const res = await fetch(`${serve.match}${container[probe].httpGet.path}`);
            expect(res.status, probe).toBe(200);
          }
          const clusters = await fetch(`${serve.match}/api/v1/clusters`, {
            headers: { authorization: `Bearer ${secret['admin-token']}` },
          });
          expect(clusters.status).toBe(200);
        } finally {
          await serve.stop();
        }
        expect(serve.child.exitCode).toBe(0);
        expect(existsSync(join(volume, 'kubetally.lock'))).toBe(false);
        // The secret's key seals kubeconfigs: no key file of its own on the volume.
        expect(existsSync(join(volume, KEY_FILE_NAME))).toBe(false);
      }
    } finally {
      await rm(volume, { recursive: true, force: true });
    }
  }, 60_000);
});
