import { LineageInputError } from '@internal/plugin-conductor-common';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const NAME = z
  .string()
  .regex(
    /^[A-Za-z0-9][\w.-]{0,127}$/,
    'must be a name such as tenant-isolation',
  );
/** `api/Type` or `api/Type.field`. */
const GRAPHQL_REF = z
  .string()
  .regex(
    /^[A-Za-z0-9][\w.-]*\/[_A-Za-z]\w*(\.[_A-Za-z]\w*)?$/,
    'must be api/Type or api/Type.field, e.g. reports-graphql/Asset.name',
  );
/** `Asset@v2`. */
const CONTRACT_REF = z
  .string()
  .regex(/^[A-Za-z][\w.-]*@v?\d+$/, 'must be Name@vN, e.g. Asset@v2');
const FILE = z
  .string()
  .min(1)
  .max(512)
  .refine(
    f => !/^[a-z]+:/i.test(f) || /^https?:/i.test(f),
    'must be a path relative to the manifest or an http(s) URL',
  );
const LIST = <T extends z.ZodTypeAny>(t: T) => z.array(t).max(500).default([]);

const manifestSchema = z
  .object({
    contracts: LIST(
      z
        .object({
          name: NAME,
          version: z.union([
            z.number().int().min(0),
            z.string().regex(/^v?\d+$/),
          ]),
          /** JSON Schema (JSON or YAML), relative to the manifest. */
          schema: FILE,
          conformsTo: LIST(GRAPHQL_REF),
          governedBy: LIST(NAME),
          testedBy: LIST(NAME),
        })
        .strict(),
    ),
    resolvers: LIST(
      z
        .object({
          field: GRAPHQL_REF,
          reads: LIST(CONTRACT_REF),
          writes: LIST(CONTRACT_REF),
          governedBy: LIST(NAME),
          testedBy: LIST(NAME),
        })
        .strict(),
    ),
    graphql: LIST(
      z
        .object({
          node: GRAPHQL_REF,
          governedBy: LIST(NAME),
          testedBy: LIST(NAME),
        })
        .strict(),
    ),
    policies: LIST(
      z
        .object({
          name: NAME,
          description: z.string().max(1000).optional(),
          file: FILE.optional(),
        })
        .strict(),
    ),
    tests: LIST(
      z
        .object({
          name: NAME,
          description: z.string().max(1000).optional(),
          file: FILE.optional(),
        })
        .strict(),
    ),
    operations: LIST(
      z
        .object({
          /** The API's name or entity ref. */
          api: z.string().min(1).max(255),
          /** Default: the component the manifest belongs to. */
          client: NAME.optional(),
          tenants: LIST(NAME),
          files: LIST(FILE),
        })
        .strict(),
    ),
  })
  .strict();

/** A repository's lineage manifest (`conductor.io/lineage`). */
export type LineageManifest = z.infer<typeof manifestSchema>;

/**
 * Parses a lineage manifest; errors name the file, line:column for YAML,
 * and the field (`resolvers[0].field: ...`).
 */
export function parseManifest(text: string, file: string): LineageManifest {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    const pos = (e as { linePos?: Array<{ line: number; col: number }> })
      .linePos?.[0];
    throw new LineageInputError(
      `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${
        (e as Error).message.split('\n')[0]
      }`,
    );
  }
  const result = manifestSchema.safeParse(data ?? {});
  if (!result.success)
    throw new LineageInputError(
      `${file}: ${result.error.issues
        .slice(0, 5)
        .map(i => `${i.path.join('.') || 'manifest'}: ${i.message}`)
        .join('; ')}`,
    );
  return result.data;
}
