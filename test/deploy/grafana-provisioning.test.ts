/**
 * Grafana provisioning (deploy/grafana/provisioning): the files parse as Grafana reads them, every
 * data source a dashboard names is provisioned with the dashboard's type, and the file provider
 * loads from the folder the docs say to mount the dashboards at. No Grafana runs here: these are
 * the mistakes that would leave a provisioned panel with "data source not found".
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';

interface DataSourceRef {
  type: string;
  uid: string;
}
interface Variable {
  name: string;
  type: string;
  query: unknown;
  current?: { value?: string };
}
interface DataSource {
  name: string;
  uid: string;
  type: string;
  url: string;
  jsonData?: Record<string, unknown>;
}

const text = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const DASHBOARDS = ['kubetally-ledger.json', 'kubetally-service.json'];
const datasources = parseYaml(text('deploy/grafana/provisioning/datasources/kubetally.yaml')) as {
  apiVersion: number;
  datasources: DataSource[];
};
const providers = parseYaml(text('deploy/grafana/provisioning/dashboards/kubetally.yaml')) as {
  apiVersion: number;
  providers: { name: string; type: string; options: { path: string } }[];
};
const docs = text('docs/dashboards.md');

/** Every `datasource` reference of a dashboard: panels, targets and variables. */
function refsOf(dashboard: unknown): DataSourceRef[] {
  const refs: DataSourceRef[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'datasource' && x !== null && typeof x === 'object') refs.push(x as DataSourceRef);
        else walk(x);
      }
    }
  };
  walk(dashboard);
  return refs;
}

describe('Grafana provisioning', () => {
  it('provisions data sources of unique, valid uids and names', () => {
    expect(datasources.apiVersion).toBe(1);
    const uids = datasources.datasources.map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(new Set(datasources.datasources.map((d) => d.name)).size).toBe(uids.length);
    // Grafana's rule for uids: at most 40 letters, digits, dashes and underscores.
    for (const uid of uids) expect(uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
  });

  it.each(DASHBOARDS)('finds every data source %s names among the provisioned ones', (file) => {
    const dashboard = JSON.parse(text(`deploy/grafana/${file}`)) as {
      templating: { list: Variable[] };
    };
    const variables = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    const refs = refsOf(dashboard);
    expect(refs.length).toBeGreaterThan(3);
    for (const ref of refs) {
      // `${NAME}` is a data source variable; provisioning fills no import `__inputs`, so its
      // default must be a provisioned data source of the reference's type.
      const named = /^\$\{(\w+)\}$/.exec(ref.uid)?.[1];
      const variable = named === undefined ? undefined : variables.get(named);
      if (named !== undefined) {
        expect(variable, `variable ${named}`).toMatchObject({ type: 'datasource', query: ref.type });
      }
      const uid = variable?.current?.value ?? ref.uid;
      const provisioned = datasources.datasources.find((d) => d.uid === uid);
      expect(provisioned, `${file}: data source ${uid}`).toMatchObject({ type: ref.type });
    }
  });

  it('reads the addresses and credentials from the environment the docs list', () => {
    const values = text('deploy/grafana/provisioning/datasources/kubetally.yaml').replace(/^\s*#.*$/gm, '');
    const names = [...values.matchAll(/\$(\w+)/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(4);
    for (const name of names) expect(docs, name).toContain(`\`${name}\``);
    for (const d of datasources.datasources) expect(d.url).toMatch(/^\$\w+$/);
  });

  it('loads the dashboards from the folder the docs mount them at', () => {
    expect(providers.apiVersion).toBe(1);
    expect(providers.providers).toHaveLength(1);
    const [provider] = providers.providers;
    expect(provider!.type).toBe('file');
    expect(docs).toContain(`deploy/grafana:${provider!.options.path}`);
  });
});
