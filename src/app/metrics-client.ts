/**
 * Seed 000's client object, for code written against it:
 *   const k8sClient = new KubernetesMetricsClient(kubeconfigString, false);
 *   const userMetrics = await k8sClient.getUserMetrics('lex00000');
 *   const projectMetrics = await k8sClient.getProjectMetrics('main-lex');
 * A thin wrapper over `loadKubeconfig` and the `getUserMetrics`/`getProjectMetrics` functions
 * (SPEC §3), which stay the primary API. The connection is loaded on first use, since a
 * constructor cannot wait; a failed load is tried again on the next call.
 */
import { invalidArgument } from '../domain/errors.js';
import type { AttributionRulesInput } from '../attribution/index.js';
import { loadKubeconfig, type Connection, type LoadKubeconfigOptions } from '../k8s/connection.js';
import { getProjectMetrics, getUserMetrics, type ProjectMetrics, type UserMetrics } from './live-view.js';

export interface KubernetesMetricsClientOptions {
  context?: string;
  /** Attribution rules (SPEC §6); the defaults read the `owner`, `project-id`, `compute-type` labels. */
  rules?: AttributionRulesInput;
  /** Kubeconfig text is treated as uploaded (no exec, auth providers or file paths) unless `own`. */
  trust?: LoadKubeconfigOptions['trust'];
  allowInsecureHttp?: boolean;
}

export class KubernetesMetricsClient {
  private readonly load: LoadKubeconfigOptions;
  private readonly rules: AttributionRulesInput | undefined;
  private conn: Promise<Connection> | undefined;

  /**
   * `isPath` keeps the seed's signature (a boolean that says what the first argument is, default
   * a file path); `false` reads the first argument as kubeconfig YAML text.
   */
  constructor(kubeconfigPathOrString: string, isPath = true, options: KubernetesMetricsClientOptions = {}) {
    if (typeof kubeconfigPathOrString !== 'string' || kubeconfigPathOrString.trim() === '') {
      throw invalidArgument(
        'KubernetesMetricsClient needs a kubeconfig',
        'pass a kubeconfig file path, or its YAML text with isPath false: new KubernetesMetricsClient(yaml, false)',
      );
    }
    const { rules, ...rest } = options;
    this.rules = rules;
    this.load = isPath
      ? { ...rest, file: kubeconfigPathOrString }
      : { ...rest, yaml: kubeconfigPathOrString };
  }

  /** The connection, loaded once (the same handle the library functions take). */
  connection(): Promise<Connection> {
    if (this.conn === undefined) {
      const loading = loadKubeconfig(this.load);
      this.conn = loading;
      loading.catch(() => {
        if (this.conn === loading) this.conn = undefined;
      });
    }
    return this.conn;
  }

  /** Every pod `username` owns, across all namespaces, by project (seed 000's shape). */
  async getUserMetrics(username: string): Promise<UserMetrics> {
    return getUserMetrics(await this.connection(), username, this.rules);
  }

  /** One project namespace's pods, resources and owners. */
  async getProjectMetrics(namespace: string): Promise<ProjectMetrics> {
    return getProjectMetrics(await this.connection(), namespace, this.rules);
  }
}
