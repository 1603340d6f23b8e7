/**
 * Build step after `tsc`: replaces dist/k8s/official-client.js (a re-export of the official
 * Kubernetes client) with one bundled module. Loading the package as published reads several
 * hundred generated modules (~300 ms before the first request of every CLI command); the bundle
 * holds only what kubeconfig handling reaches and loads in ~50 ms.
 */
import { build } from 'esbuild';

await build({
  entryPoints: ['src/k8s/official-client.ts'],
  outfile: 'dist/k8s/official-client.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // whatwg-url (through node-fetch) requires Node's own `punycode`, deprecated with a warning on
  // every start from Node 21 on once the code sits outside node_modules; the package of the same
  // name is that module, maintained, and goes into the bundle instead.
  alias: { punycode: 'punycode/' },
  // The client's CommonJS dependencies call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
});
