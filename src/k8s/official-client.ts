/**
 * The official Kubernetes client's kubeconfig handling, through one module: the build bundles
 * this file (scripts/bundle-client.mjs) so that commands start quickly.
 */
export { KubeConfig } from '@kubernetes/client-node';
