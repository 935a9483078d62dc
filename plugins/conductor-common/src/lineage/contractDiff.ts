import { ChangeCriticality } from './blastRadius';

/** One difference between two versions of a data contract (JSON Schema). @public */
export interface ContractChange {
  /** Dotted property path, e.g. `owner` or `items.priceCents`. */
  path: string;
  type:
    | 'PROPERTY_REMOVED'
    | 'PROPERTY_ADDED'
    | 'PROPERTY_TYPE_CHANGED'
    | 'PROPERTY_BECAME_REQUIRED'
    | 'PROPERTY_BECAME_OPTIONAL'
    | 'ENUM_VALUE_REMOVED'
    | 'ENUM_VALUE_ADDED';
  criticality: ChangeCriticality;
  message: string;
}

type Schema = {
  type?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
};

/** The declared type; an enum or an object without `type` counts as its kind. */
function typeOf(s: Schema): string {
  if (s.type !== undefined) return JSON.stringify(s.type);
  if (s.enum) return '"enum"';
  return s.properties ? '"object"' : '"any"';
}

/**
 * The differences between two versions of a contract, property by property
 * (nested objects and array items too), graded as a consumer of the data
 * sees them: a removed property, a changed type or a removed enum value
 * breaks readers; a property becoming required breaks writers that omit it;
 * an added enum value is dangerous for readers that switch on it; additions
 * and relaxations are safe.
 *
 * @public
 */
export function diffContractSchemas(
  base: unknown,
  head: unknown,
): ContractChange[] {
  const changes: ContractChange[] = [];
  const walk = (a: Schema, b: Schema, prefix: string) => {
    if (a.items || b.items) walk(a.items ?? {}, b.items ?? {}, prefix);
    const before = a.properties ?? {};
    const after = b.properties ?? {};
    const requiredBefore = new Set(a.required ?? []);
    const requiredAfter = new Set(b.required ?? []);
    for (const name of Object.keys(before)) {
      const path = prefix ? `${prefix}.${name}` : name;
      if (!(name in after)) {
        changes.push({
          path,
          type: 'PROPERTY_REMOVED',
          criticality: 'breaking',
          message: `Property '${path}' was removed`,
        });
        continue;
      }
      const x = before[name] ?? {};
      const y = after[name] ?? {};
      if (typeOf(x) !== typeOf(y))
        changes.push({
          path,
          type: 'PROPERTY_TYPE_CHANGED',
          criticality: 'breaking',
          message: `Property '${path}' changed type from ${typeOf(
            x,
          )} to ${typeOf(y)}`,
        });
      if (!requiredBefore.has(name) && requiredAfter.has(name))
        changes.push({
          path,
          type: 'PROPERTY_BECAME_REQUIRED',
          criticality: 'breaking',
          message: `Property '${path}' became required`,
        });
      if (requiredBefore.has(name) && !requiredAfter.has(name))
        changes.push({
          path,
          type: 'PROPERTY_BECAME_OPTIONAL',
          criticality: 'dangerous',
          message: `Property '${path}' may now be absent`,
        });
      const enumBefore = (x.enum ?? []).map(v => JSON.stringify(v));
      const enumAfter = (y.enum ?? []).map(v => JSON.stringify(v));
      for (const v of enumBefore)
        if (y.enum && !enumAfter.includes(v))
          changes.push({
            path,
            type: 'ENUM_VALUE_REMOVED',
            criticality: 'breaking',
            message: `Value ${v} of '${path}' was removed`,
          });
      for (const v of enumAfter)
        if (x.enum && !enumBefore.includes(v))
          changes.push({
            path,
            type: 'ENUM_VALUE_ADDED',
            criticality: 'dangerous',
            message: `Value ${v} was added to '${path}'`,
          });
      walk(x, y, path);
    }
    for (const name of Object.keys(after))
      if (!(name in before)) {
        const path = prefix ? `${prefix}.${name}` : name;
        changes.push({
          path,
          type: 'PROPERTY_ADDED',
          criticality: requiredAfter.has(name) ? 'breaking' : 'safe',
          message: requiredAfter.has(name)
            ? `Required property '${path}' was added: writers that omit it break`
            : `Property '${path}' was added`,
        });
      }
  };
  walk((base ?? {}) as Schema, (head ?? {}) as Schema, '');
  return changes;
}
