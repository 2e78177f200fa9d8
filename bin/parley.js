#!/usr/bin/env node
// `npx parley …`: runs the built CLI (dist/bin/cli.js). In a checkout use `npm run parley -- …`.
'use strict';
/* global console */
const fs = require('node:fs');
const path = require('node:path');

const cli = path.join(__dirname, '..', 'dist', 'bin', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('parley: dist/bin/cli.js is missing; run `npm run build` first (or `npm run parley -- …`)');
  process.exit(1);
}
require(cli)
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
