import { Environment } from '@marcbachmann/cel-js';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, Node } from 'yaml';
import {
  controlsEnvironment,
  controlsEvaluationEnvironment,
  factsReadBy,
} from './celEnvironment';
import {
  ControlDefinition,
  ControlScope,
  ControlSeverity,
  ControlsCatalogError,
} from './types';

const SEVERITIES: ControlSeverity[] = ['critical', 'high', 'medium', 'low'];
const SCOPE_KEYS: (keyof ControlScope)[] = [
  'kind',
  'type',
  'lifecycle',
  'tags',
  'owner',
];
const KNOWN_KEYS = [
  'id',
  'title',
  'description',
  'severity',
  'appliesTo',
  'check',
  'remediation',
  'level',
];

/** A control with its check parsed and type-checked, ready to evaluate. @public */
export interface CompiledControl extends ControlDefinition {
  evaluate(context: Record<string, unknown>): unknown;
  /** The facts the check reads, found once at load. */
  reads: string[];
}

/** @public */
export interface ControlsCatalog {
  controls: CompiledControl[];
  errors: ControlsCatalogError[];
}

/**
 * Parses one controls catalog file (`controls: [{id, check, ...}]`),
 * type-checking every check against the known facts. Every problem is
 * reported with file, line and column (and control id); a control with a
 * problem is left out, the others are returned.
 *
 * @public
 */
export function parseControlsFile(
  file: string,
  text: string,
  env: Environment = controlsEnvironment(),
): ControlsCatalog {
  const evalEnv = controlsEvaluationEnvironment();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const errors: ControlsCatalogError[] = [];
  const at = (
    node: Node | null | undefined,
    message: string,
    controlId?: string,
    extra = 0,
  ) => {
    const offset = (node?.range?.[0] ?? 0) + extra;
    const pos = lineCounter.linePos(offset);
    errors.push({ file, line: pos.line, column: pos.col, controlId, message });
  };
  for (const e of doc.errors) {
    errors.push({
      file,
      line: e.linePos?.[0].line ?? 1,
      column: e.linePos?.[0].col ?? 1,
      message: e.message.split('\n')[0],
    });
  }
  if (errors.length) return { controls: [], errors };

  const root = doc.contents;
  const list = isMap(root) ? root.get('controls', true) : undefined;
  if (!isSeq(list)) {
    at(root as Node, 'expected a top-level "controls:" list');
    return { controls: [], errors };
  }
  const controls: CompiledControl[] = [];
  const seen = new Map<string, number>();
  for (const item of list.items) {
    if (!isMap(item)) {
      at(item as Node, 'each control must be a map with id and check');
      continue;
    }
    const node = (key: string) => item.get(key, true) as Node | undefined;
    const str = (key: string) => {
      const n = node(key);
      return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
    };
    const id = str('id');
    const before = errors.length;
    if (!id || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
      at(
        node('id') ?? item,
        'id: required, letters, digits, ".", "_" or "-"',
        id,
      );
      continue;
    }
    if (seen.has(id)) {
      at(
        node('id'),
        `id: duplicate control id ${id} (first declared on line ${seen.get(
          id,
        )})`,
        id,
      );
      continue;
    }
    const idPos = lineCounter.linePos(node('id')!.range![0]);
    seen.set(id, idPos.line);
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!KNOWN_KEYS.includes(key))
        at(
          pair.key as Node,
          `${key}: unknown field; known: ${KNOWN_KEYS.join(', ')}`,
          id,
        );
    }
    const title = str('title');
    if (!title) at(node('title') ?? item, 'title: required', id);
    const severity = str('severity') as ControlSeverity | undefined;
    if (!severity || !SEVERITIES.includes(severity)) {
      at(
        node('severity') ?? item,
        `severity: must be one of ${SEVERITIES.join(', ')}`,
        id,
      );
    }
    let appliesTo: ControlScope | undefined;
    const scopeNode = node('appliesTo');
    if (scopeNode) {
      const scope = (scopeNode as any).toJSON?.() ?? {};
      appliesTo = {};
      for (const [k, v] of Object.entries(scope)) {
        const values = Array.isArray(v) ? v : [v];
        if (
          !SCOPE_KEYS.includes(k as keyof ControlScope) ||
          !values.every(x => typeof x === 'string')
        ) {
          at(
            scopeNode,
            `appliesTo.${k}: must be one of ${SCOPE_KEYS.join(
              ', ',
            )} with string values`,
            id,
          );
          continue;
        }
        appliesTo[k as keyof ControlScope] = values as string[];
      }
    }
    const checkNode = node('check');
    const check = str('check');
    let evaluate: CompiledControl['evaluate'] | undefined;
    if (!check) {
      at(checkNode ?? item, 'check: required, a CEL expression', id);
    } else {
      // Offset of the expression inside the YAML scalar (past a quote).
      const quote =
        isScalar(checkNode) &&
        (checkNode.type === 'QUOTE_DOUBLE' || checkNode.type === 'QUOTE_SINGLE')
          ? 1
          : 0;
      try {
        const parsed = env.parse(check);
        const typed = parsed.check();
        if (!typed.valid) {
          const err = typed.error as Error & { node?: { pos?: number } };
          at(
            checkNode,
            `check: ${err.message.split('\n')[0]}`,
            id,
            quote + (err.node?.pos ?? 0),
          );
        } else if (typed.type !== 'bool' && typed.type !== 'dyn') {
          at(
            checkNode,
            `check: must be true or false, this expression is a ${typed.type}`,
            id,
            quote,
          );
        } else {
          const fast = evalEnv.parse(check);
          evaluate = ctx => fast(ctx);
        }
      } catch (e) {
        const err = e as Error & { node?: { pos?: number } };
        at(
          checkNode,
          `check: ${err.message.split('\n')[0]}`,
          id,
          quote + (err.node?.pos ?? 0),
        );
      }
    }
    if (errors.length > before || !evaluate) continue;
    controls.push({
      id,
      title: title!,
      description: str('description'),
      severity: severity!,
      appliesTo,
      check: check!,
      remediation: str('remediation'),
      level: str('level'),
      source: { file, line: idPos.line, column: idPos.col },
      evaluate,
      reads: factsReadBy(check!),
    });
  }
  return { controls, errors };
}

/**
 * Loads several catalog files as one: a control id declared twice, even in
 * two files, is an error naming both places.
 *
 * @public
 */
export function loadControlsCatalog(
  files: Array<{ file: string; text: string }>,
): ControlsCatalog {
  const all: ControlsCatalog = { controls: [], errors: [] };
  const byId = new Map<string, CompiledControl>();
  for (const { file, text } of files) {
    const parsed = parseControlsFile(file, text);
    all.errors.push(...parsed.errors);
    for (const c of parsed.controls) {
      const first = byId.get(c.id);
      if (first) {
        all.errors.push({
          file,
          line: c.source!.line,
          column: c.source!.column,
          controlId: c.id,
          message: `id: duplicate control id ${c.id} (first declared in ${
            first.source!.file
          }:${first.source!.line})`,
        });
        continue;
      }
      byId.set(c.id, c);
      all.controls.push(c);
    }
  }
  return all;
}

/** `file:line:column [id] message`, the way compilers print errors. @public */
export function formatCatalogError(e: ControlsCatalogError): string {
  return `${e.file}:${e.line}:${e.column}${
    e.controlId ? ` [${e.controlId}]` : ''
  } ${e.message}`;
}
