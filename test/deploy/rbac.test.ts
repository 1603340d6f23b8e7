/**
 * deploy/kubernetes/rbac.yaml and the ClusterRole in docs/cli.md grant every permission the
 * collector needs (the list `cluster test` checks), and the binding gives it to the service
 * account the manifest creates.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { NEEDED, permissionName } from '../../src/app/cluster-permissions.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
type Doc = { kind: string; metadata: { name: string; namespace?: string } } & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const text = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const docs = parseAllDocuments(text('deploy/kubernetes/rbac.yaml')).map((d) => d.toJS() as Doc);
const role = docs.find((d) => d.kind === 'ClusterRole')!;

/** RBAC's own rule: some rule names the group, the resource (with its subresource) and the verb. */
const grants = (rules: Rule[], n: (typeof NEEDED)[number]) =>
  rules.some(
    (r) =>
      r.apiGroups.includes(n.group) &&
      r.resources.includes(n.subresource === undefined ? n.resource : `${n.resource}/${n.subresource}`) &&
      r.verbs.includes(n.verb),
  );

describe('the RBAC manifest', () => {
  it('grants every permission cluster test checks, and nothing that writes', () => {
    const rules = role.rules as Rule[];
    expect(NEEDED.filter((n) => !grants(rules, n)).map(permissionName)).toEqual([]);
    expect(rules.flatMap((r) => r.verbs).filter((v) => !['get', 'list', 'watch'].includes(v))).toEqual([]);
  });

  it('binds the role to the service account it creates', () => {
    const account = docs.find((d) => d.kind === 'ServiceAccount')!;
    const binding = docs.find((d) => d.kind === 'ClusterRoleBinding')!;
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata.name,
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: account.metadata.name, namespace: account.metadata.namespace },
    ]);
    expect(docs.find((d) => d.kind === 'Namespace')?.metadata.name).toBe(account.metadata.namespace);
  });

  it('is the ClusterRole docs/cli.md shows', () => {
    const block = /```yaml\n(apiVersion: rbac[\s\S]*?kind: ClusterRole[\s\S]*?)```/.exec(text('docs/cli.md'));
    expect(block).not.toBeNull();
    expect((parseYaml(block![1]!) as Doc).rules).toEqual(role.rules);
  });
});
