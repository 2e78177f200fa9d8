// Builds the console's one bundle, dist/console.js, from console.js and what it imports
// (Chart.js included): esbuild, ES2020 modules, minified, no source from another origin.
// `npm run build:console`; the gateway also builds it on start when it is missing (a fresh
// checkout running from sources), services/console/files.ts.
const path = require('node:path');

function buildConsole() {
  // Loaded here, not at the top: only a build needs esbuild (a dev dependency).
  const esbuild = require('esbuild');
  esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'console.js')],
    outfile: path.join(__dirname, 'dist', 'console.js'),
    bundle: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

module.exports = { buildConsole };
if (require.main === module) buildConsole();
