import { builtinModules } from 'node:module';
import { GoldenPath } from './goldenPaths';

/** What the user chose, as the wizard and the CLI collect it. */
export interface GoldenPathInput {
  name?: unknown;
  description?: unknown;
  owner?: unknown;
  system?: unknown;
  slaRead?: unknown;
  slaWrite?: unknown;
}

/** Validated values, plus what the skeletons derive from them. */
export interface GoldenPathValues {
  name: string;
  description: string;
  /** Full group ref, `group:default/payments`. */
  ownerRef: string;
  /** Group name only, `payments`. */
  ownerName: string;
  /** As written in catalog-info.yaml (`group:payments` or the full ref). */
  owner: string;
  system: string;
  slaRead: number;
  slaWrite: number;
  slaReadSeconds: number;
  slaWriteSeconds: number;
}

/** A refused parameter and why. */
export interface ValueProblem {
  field: string;
  message: string;
}

/** Bounds of the latency objectives, in milliseconds. */
export const SLA_BOUNDS = {
  read: { min: 10, max: 10_000 },
  write: { min: 10, max: 30_000 },
} as const;

export const MAX_DESCRIPTION = 300;

/**
 * A name that is at once a valid npm package name (lower case, no scope, not
 * a Node.js core module) and an RFC 1123 DNS label (Kubernetes object and
 * Helm release names): 1 to 63 of a-z, 0-9 and '-', starting with a letter,
 * not ending with '-'.
 */
const NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ENTITY_NAME = /^[a-z0-9]+([-_.][a-z0-9]+)*$/;

export function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'required';
  if (name.length > 63)
    return `must be at most 63 characters (a DNS label), got ${name.length}`;
  if (/[A-Z]/.test(name))
    return 'must be lower case (npm package names and DNS labels are)';
  if (!NAME.test(name)) {
    return "must start with a letter, contain only a-z, 0-9 and '-', and not end with '-' (npm package name and DNS label)";
  }
  if (builtinModules.includes(name))
    return `"${name}" is a Node.js core module name, which npm refuses`;
  return undefined;
}

/** `payments`, `group:payments` or `group:default/payments` → the full ref. */
export function parseGroupRef(owner: string): string | undefined {
  const m = /^(?:group:)?(?:([a-z0-9-_.]+)\/)?([a-z0-9][a-z0-9-_.]*)$/i.exec(
    owner.trim(),
  );
  if (!m) return undefined;
  if (/^[a-z]+:/i.test(owner) && !owner.toLowerCase().startsWith('group:'))
    return undefined;
  return `group:${(m[1] ?? 'default').toLowerCase()}/${m[2].toLowerCase()}`;
}

function sla(
  field: 'slaRead' | 'slaWrite',
  raw: unknown,
  fallback: number,
  problems: ValueProblem[],
): number {
  const bounds = field === 'slaRead' ? SLA_BOUNDS.read : SLA_BOUNDS.write;
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    problems.push({
      field,
      message: `must be a whole number of milliseconds from ${bounds.min} to ${
        bounds.max
      }, got ${JSON.stringify(raw)}`,
    });
  }
  return value;
}

/**
 * Checks what the user typed, the same way in the wizard (the render action)
 * and the CLI. Whether the owner is a group in the catalog is asked separately
 * ({@link GroupLookup}) since only the portal path always has a catalog.
 */
export function validateValues(
  template: GoldenPath,
  input: GoldenPathInput,
):
  | { ok: true; values: GoldenPathValues }
  | { ok: false; problems: ValueProblem[] } {
  const problems: ValueProblem[] = [];
  const nameIssue = nameProblem(input.name);
  if (nameIssue) problems.push({ field: 'name', message: nameIssue });
  const name = String(input.name ?? '');

  let description =
    typeof input.description === 'string' ? input.description.trim() : '';
  if (!description) description = `${name}, created from ${template}`;
  if (description.length > MAX_DESCRIPTION || /[\r\n"\\]/.test(description)) {
    problems.push({
      field: 'description',
      message: `must be one line of at most ${MAX_DESCRIPTION} characters without quotes or backslashes`,
    });
  }

  const ownerRef =
    typeof input.owner === 'string' ? parseGroupRef(input.owner) : undefined;
  if (!ownerRef) {
    problems.push({
      field: 'owner',
      message:
        input.owner === undefined || input.owner === ''
          ? 'required: a group of the catalog, e.g. group:default/payments'
          : `${JSON.stringify(
              input.owner,
            )} is not a group reference (group:default/<name>)`,
    });
  }

  // The wizard's entity picker gives a full ref (system:default/checkout).
  const system =
    typeof input.system === 'string'
      ? input.system.trim().replace(/^system:(default\/)?/i, '')
      : '';
  if (!system || system.length > 63 || !ENTITY_NAME.test(system)) {
    problems.push({
      field: 'system',
      message: system
        ? `${JSON.stringify(system)} is not a catalog entity name`
        : 'required: the system the component belongs to',
    });
  }

  const needsSla = template === 'create-ig-service';
  const slaRead = needsSla ? sla('slaRead', input.slaRead, 350, problems) : 350;
  const slaWrite = needsSla
    ? sla('slaWrite', input.slaWrite, 700, problems)
    : 700;

  if (problems.length || !ownerRef) return { ok: false, problems };
  const ownerName = ownerRef.slice(ownerRef.indexOf('/') + 1);
  return {
    ok: true,
    values: {
      name,
      description,
      ownerRef,
      ownerName,
      owner: ownerRef,
      system,
      slaRead,
      slaWrite,
      slaReadSeconds: slaRead / 1000,
      slaWriteSeconds: slaWrite / 1000,
    },
  };
}

/** Answers whether a group exists in the catalog. */
export type GroupLookup = (groupRef: string) => Promise<boolean>;

export function formatProblems(problems: ValueProblem[]): string {
  return problems.map(p => `${p.field}: ${p.message}`).join('; ');
}
