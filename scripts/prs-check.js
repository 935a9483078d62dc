#!/usr/bin/env node
/* eslint-disable */
// The seed's form `node scripts/prs-check.js --min 0.9`: an alias of
// `conductor prs-check`. The entity and environment come from flags or from
// CONDUCTOR_ENTITY / CONDUCTOR_ENV, as a CI job would set them.
const path = require('node:path');
const args = process.argv.slice(2);
if (!args.includes('--entity') && process.env.CONDUCTOR_ENTITY)
  args.push('--entity', process.env.CONDUCTOR_ENTITY);
if (!args.includes('--env') && process.env.CONDUCTOR_ENV)
  args.push('--env', process.env.CONDUCTOR_ENV);
process.argv = [process.argv[0], 'conductor', 'prs-check', ...args];
require(path.resolve(__dirname, '../packages/conductor-cli/bin/conductor'));
