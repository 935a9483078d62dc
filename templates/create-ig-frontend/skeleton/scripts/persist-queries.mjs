// Writes src/graphql/persisted-query-manifest.json (Apollo's persisted query
// manifest format) from src/graphql/operations.ts: id = sha256 of the body.
import { createHash } from 'node:crypto';
import fs from 'node:fs';

const source = fs.readFileSync('src/graphql/operations.ts', 'utf8');
const operations = [...source.matchAll(/^ {2}(\w+): `([^`]*)`,$/gms)].map(
  ([, name, body]) => ({
    id: createHash('sha256').update(body).digest('hex'),
    name,
    type: body.trimStart().split(/\s/)[0],
    body,
  }),
);
const manifest = {
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations,
};
fs.writeFileSync(
  'src/graphql/persisted-query-manifest.json',
  `${JSON.stringify(manifest, null, 2)}\n`,
);
console.log(`${operations.length} operations persisted`);
