import { Entity } from '@backstage/catalog-model';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { RemediationInputError } from './catalogYaml';

/** The repository file holding a team's local overrides. @public */
export const OVERRIDES_FILE = '.conductor.yaml';
/** Entity annotation: comma-separated control or recipe ids the bot leaves alone. @public */
export const OPT_OUT_ANNOTATION = 'conductor.io/remediation-opt-out';
/** Entity annotation prefix for a recipe parameter: `conductor.io/remediation.<recipe>.<parameter>`. @public */
export const PARAMETER_ANNOTATION_PREFIX = 'conductor.io/remediation.';

/** Where an override came from, for the log and the PR body. @public */
export type OverrideSource = '.conductor.yaml' | 'annotation';

/**
 * A team's local overrides, which win over the bot's defaults: controls and
 * recipes to leave alone, and recipe parameters (e.g. the retention class).
 *
 * @public
 */
export interface RemediationOverrides {
  optOut: Array<{ id: string; source: OverrideSource }>;
  /** recipe id -> parameter -> value and where it was set. */
  parameters: Record<
    string,
    Record<string, { value: string; source: OverrideSource }>
  >;
}

/**
 * Reads `.conductor.yaml` (`remediation: { optOut: [ids], parameters:
 * { <recipe>: { <name>: value } } }`) and the entity's annotations; an
 * annotation wins over the file. A malformed file is an error naming its
 * line; nothing is guessed.
 *
 * @public
 */
export function readOverrides(
  fileText: string | undefined,
  entity: Entity | undefined,
  /** Recipe id -> its parameter names; a parameter of another recipe or name is an error. */
  known?: Record<string, string[]>,
): RemediationOverrides {
  const out: RemediationOverrides = { optOut: [], parameters: {} };
  if (fileText !== undefined) {
    const lc = new LineCounter();
    const doc = parseDocument(fileText, { lineCounter: lc });
    const fail = (offset: number, message: string): never => {
      const p = lc.linePos(offset);
      throw new RemediationInputError(OVERRIDES_FILE, p.line, p.col, message);
    };
    if (doc.errors[0])
      fail(doc.errors[0].pos[0], doc.errors[0].message.split('\n')[0]);
    const root = doc.contents;
    const section = isMap(root) ? root.get('remediation', true) : undefined;
    if (section !== undefined && section !== null) {
      if (!isMap(section))
        fail((section as any).range?.[0] ?? 0, 'remediation: expected a map');
      const optOut = (section as any).get('optOut', true);
      if (optOut !== undefined) {
        if (!isSeq(optOut))
          fail(
            optOut.range?.[0] ?? 0,
            'remediation.optOut: expected a list of control or recipe ids',
          );
        for (const item of (optOut as any).items) {
          if (!isScalar(item) || typeof item.value !== 'string')
            fail(
              item.range?.[0] ?? 0,
              'remediation.optOut: each item must be a control or recipe id',
            );
          out.optOut.push({
            id: String(item.value),
            source: '.conductor.yaml',
          });
        }
      }
      const params = (section as any).get('parameters', true);
      if (params !== undefined) {
        if (!isMap(params))
          fail(
            (params as any).range?.[0] ?? 0,
            'remediation.parameters: expected a map of recipe id to parameters',
          );
        for (const pair of (params as any).items) {
          const recipe = String(pair.key?.value ?? '');
          if (!isMap(pair.value))
            fail(
              pair.key?.range?.[0] ?? 0,
              `remediation.parameters.${recipe}: expected a map of parameter to value`,
            );
          if (known && !known[recipe])
            fail(
              pair.key?.range?.[0] ?? 0,
              `remediation.parameters.${recipe}: no recipe named ${recipe}; recipes: ${Object.keys(
                known,
              ).join(', ')}`,
            );
          for (const p of pair.value.items) {
            if (known && !known[recipe].includes(String(p.key?.value)))
              fail(
                p.key?.range?.[0] ?? 0,
                `remediation.parameters.${recipe}.${
                  p.key?.value
                }: ${recipe} has no such parameter; it takes ${known[
                  recipe
                ].join(', ')}`,
              );
            if (!isScalar(p.value))
              fail(
                p.key?.range?.[0] ?? 0,
                `remediation.parameters.${recipe}.${p.key?.value}: expected a single value`,
              );
            (out.parameters[recipe] ??= {})[String(p.key.value)] = {
              value: String(p.value.value),
              source: '.conductor.yaml',
            };
          }
        }
      }
    }
  }
  const annotations = entity?.metadata.annotations ?? {};
  for (const id of (annotations[OPT_OUT_ANNOTATION] ?? '').split(',')) {
    if (id.trim()) out.optOut.push({ id: id.trim(), source: 'annotation' });
  }
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(PARAMETER_ANNOTATION_PREFIX)) continue;
    const rest = key.slice(PARAMETER_ANNOTATION_PREFIX.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) continue;
    (out.parameters[rest.slice(0, dot)] ??= {})[rest.slice(dot + 1)] = {
      value,
      source: 'annotation',
    };
  }
  return out;
}

/** The opt-out that covers a control or its recipe, if any. @public */
export function optOutFor(
  overrides: RemediationOverrides,
  controlId: string,
  recipeId: string,
) {
  return overrides.optOut.find(o => o.id === controlId || o.id === recipeId);
}
