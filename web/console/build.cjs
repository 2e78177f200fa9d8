// Builds the console's two bundles with esbuild (ES2020 modules, minified, no source from another
// origin): dist/console.js from console.js and what it imports, and dist/charts.js, Chart.js as
// charts.js registers it, which the statistics page imports when first shown (served beside
// console.js, so its relative import resolves to it).
// `npm run build:console`; the gateway also builds it on start when it is missing (a fresh
// checkout running from sources), services/console/files.ts.
const path = require('node:path');

function buildConsole() {
  // Loaded here, not at the top: only a build needs esbuild (a dev dependency).
  const esbuild = require('esbuild');
  const options = { bundle: true, format: 'esm', target: 'es2020', minify: true, legalComments: 'eof', logLevel: 'warning' };
  esbuild.buildSync({ ...options, entryPoints: [path.join(__dirname, 'charts.js')], outfile: path.join(__dirname, 'dist', 'charts.js') });
  // Last: a bundle newer than every module is what the gateway takes as current (services/console/files.ts).
  esbuild.buildSync({ ...options, entryPoints: [path.join(__dirname, 'console.js')], outfile: path.join(__dirname, 'dist', 'console.js'), external: ['./charts.js'] });
}

module.exports = { buildConsole };
if (require.main === module) buildConsole();
