// Seed 002's complete example, with kubetally's library: node metrics, pod metrics of one
// namespace, a label selector, several namespaces at once, quantities summed exactly, and the
// errors a missing metrics-server or missing permission give.
//
//   npm run build
//   node examples/metrics-example.mjs [namespace ...]     # reads $KUBECONFIG or ~/.kube/config
//
// Try it on the simulator:
//   npx kubetally simulate --scenario demo --write-kubeconfig /tmp/demo.kubeconfig &
//   KUBECONFIG=/tmp/demo.kubeconfig node examples/metrics-example.mjs fraud-alice recsys-dave
import {
  KubetallyError,
  getNodesMetrics,
  getPodsMetrics,
  getPodsMetricsInAllNamespaces,
  loadKubeconfig,
  parseQuantity,
} from 'kubetally';

/** Total CPU (cores) and memory (bytes) of a namespace, as seed 002's monitor_namespace_resources. */
async function namespaceTotals(conn, namespace, labelSelector) {
  const metrics = await getPodsMetrics(conn, namespace, labelSelector);
  let cpu = parseQuantity('0');
  let memory = parseQuantity('0');
  for (const pod of metrics.items) {
    for (const container of pod.containers) {
      cpu = cpu.add(parseQuantity(container.usage.cpu));
      memory = memory.add(parseQuantity(container.usage.memory));
    }
  }
  return { pods: metrics.items.length, cpu, memory };
}

/** Containers using more than `thresholdMillicores`, as seed 002's find_high_cpu_pods. */
async function highCpuPods(conn, namespace, thresholdMillicores = 500) {
  const metrics = await getPodsMetrics(conn, namespace);
  return metrics.items.flatMap((pod) =>
    pod.containers
      .filter((c) => parseQuantity(c.usage.cpu).milliValue() > BigInt(thresholdMillicores))
      .map((c) => ({ pod: pod.metadata.name, container: c.name, cpu: c.usage.cpu })),
  );
}

async function main(namespaces) {
  const conn = await loadKubeconfig();

  console.log('Nodes:');
  for (const node of (await getNodesMetrics(conn)).items) {
    console.log(`  Node ${node.metadata.name}: CPU=${node.usage.cpu}, Memory=${node.usage.memory}`);
  }

  for (const ns of namespaces) {
    const t = await namespaceTotals(conn, ns);
    const gib = Number(t.memory.value()) / 2 ** 30;
    console.log(`Namespace ${ns}: ${t.pods} pods, CPU ${String(t.cpu)} cores, Memory ${gib.toFixed(2)} GiB`);
    for (const p of await highCpuPods(conn, ns)) console.log(`  high CPU: ${p.pod}/${p.container} ${p.cpu}`);
    const notebooks = await namespaceTotals(conn, ns, 'compute-type=notebook');
    console.log(`  compute-type=notebook: ${notebooks.pods} pods, CPU ${String(notebooks.cpu)} cores`);
  }

  // Several namespaces at once: one that fails is an entry of its own, the others still answer.
  const all = await getPodsMetricsInAllNamespaces(conn, namespaces);
  for (const [ns, result] of Object.entries(all)) {
    if (result.kind === 'Error') console.log(`${ns}: ERROR - ${result.error}`);
    else {
      const containers = result.items.reduce((n, pod) => n + pod.containers.length, 0);
      console.log(`${ns}: ${result.items.length} pods, ${containers} containers`);
    }
  }
}

main(process.argv.length > 2 ? process.argv.slice(2) : ['default']).catch((err) => {
  // METRICS_API_UNAVAILABLE: install metrics-server; FORBIDDEN: the hint is the RBAC rule to add.
  if (err instanceof KubetallyError)
    console.error(`${err.code}: ${err.message}${err.hint ? `\n${err.hint}` : ''}`);
  else console.error(err);
  process.exitCode = 1;
});
