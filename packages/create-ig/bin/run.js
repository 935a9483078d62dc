/* eslint-disable */
const path = require('node:path');
const fs = require('node:fs');
module.exports = function run(command) {
  const dist = path.resolve(__dirname, '../dist/index.cjs.js');
  let lib;
  if (fs.existsSync(dist)) {
    lib = require(dist);
  } else {
    require('@backstage/cli/config/nodeTransform.cjs');
    lib = require('../src');
  }
  lib
    .runCreateIg(command, process.argv.slice(2), {
      out: l => process.stdout.write(`${l}\n`),
      err: l => process.stderr.write(`${l}\n`),
    })
    .then(code => {
      process.exitCode = code;
    });
};
