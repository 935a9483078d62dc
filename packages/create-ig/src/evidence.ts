import { ProjectFile } from './render';

/** Root fields (`Query`, `Mutation`) a GraphQL SDL declares. */
export function rootFields(sdl: string): string[] {
  const fields: string[] = [];
  const withoutDocs = sdl
    .replace(/"""[\s\S]*?"""/g, '')
    .replace(/"[^"\n]*"/g, '');
  for (const m of withoutDocs.matchAll(
    /\btype\s+(Query|Mutation)\s*\{([^}]*)\}/g,
  )) {
    for (const f of m[2].matchAll(/^\s*([_A-Za-z][_0-9A-Za-z]*)\s*[(:]/gm)) {
      fields.push(f[1]);
    }
  }
  return fields;
}

/**
 * Share of the API's root fields the project's Rego policy names (the
 * `policy.coverage` fact). Undefined for a project without both.
 */
export function policyCoverage(files: ProjectFile[]): number | undefined {
  const schema = files.find(f => f.path === 'src/schema.graphql');
  const policy = files
    .filter(
      f =>
        f.path.startsWith('policy/') &&
        f.path.endsWith('.rego') &&
        !f.path.endsWith('_test.rego'),
    )
    .map(f => f.content)
    .join('\n');
  if (!schema || !policy) return undefined;
  const fields = rootFields(schema.content);
  if (fields.length === 0) return undefined;
  const named = fields.filter(f => new RegExp(`"${f}"\\s*:`).test(policy));
  return named.length / fields.length;
}

/**
 * The facts a fresh scaffold already establishes that CI may report
 * (collector-owned facts, such as CODEOWNERS or the owner, are read by the
 * collectors from the repository and the catalog).
 */
export function firstEvidence(
  files: ProjectFile[],
): { name: string; value: number }[] {
  const coverage = policyCoverage(files);
  return coverage === undefined
    ? []
    : [{ name: 'policy.coverage', value: coverage }];
}
