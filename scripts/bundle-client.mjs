/**
 * Build step after `tsc`: replaces dist/k8s/official-client.js (a re-export of the official
 * Kubernetes client) with one bundled module. Loading the package as published reads several
 * hundred generated modules (~300 ms before the first request of every CLI command); the bundle
 * holds only what kubeconfig handling reaches and loads in ~50 ms.
 */
import { build } from 'esbuild';

/**
 * The client's generated modules (models, APIs) and its dependencies' modules are taken as free
 * of side effects, so that only what KubeConfig reaches is kept: the published package does not
 * say so, and without it the bundle holds every model (1.8 MB, ~100 ms to load; 0.9 MB, ~60 ms
 * with it). test/package.test.ts authenticates through this bundle with a token and with an exec
 * credential plugin.
 */
const dependenciesWithoutSideEffects = {
  name: 'dependencies-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind === 'entry-point' || args.pluginData?.resolving) return undefined;
      const r = await b.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: args.importer,
        pluginData: { resolving: true },
      });
      if (r.errors.length > 0 || r.external || !r.path.includes('/node_modules/')) return undefined;
      return { ...r, sideEffects: false };
    });
  },
};

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
  plugins: [dependenciesWithoutSideEffects],
  // The client's CommonJS dependencies call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
});
