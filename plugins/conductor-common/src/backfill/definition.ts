import {
  LineCounter,
  Node,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  YAMLMap,
} from 'yaml';
import { SQL_IDENTIFIER, checkStepSql, checkVerifySql } from './sql';
import {
  BackfillDefinition,
  BackfillDefinitionError,
  BackfillHealthSignals,
} from './types';

/** Largest definition file read. */
export const MAX_DEFINITION_BYTES = 100_000;
const MAX_SQL = 20_000;
const ID = /^[a-z][a-z0-9_-]{0,62}$/;
const ENTITY_REF = /^[a-z0-9_-]+:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/i;

const TOP_KEYS = [
  'id',
  'owner',
  'description',
  'connection',
  'table',
  'key',
  'step',
  'js_step',
  'verify',
  'backfill',
  'cost_budget',
  'health',
];
const BACKFILL_KEYS = [
  'batch_size',
  'min_batch_size',
  'max_batch_size',
  'target_batch_ms',
  'rps',
  'checkpoints',
];
const HEALTH_KEYS = [
  'services',
  'max_burn_rate',
  'max_lock_waits',
  'max_replication_lag_seconds',
  'prometheus',
];

/** @public */
export interface ParsedBackfillDefinition {
  definition?: BackfillDefinition;
  errors: BackfillDefinitionError[];
}

/**
 * Parses one backfill definition (YAML). Every problem is reported with
 * file, line, column and field; a definition with any problem is not
 * returned, so nothing runs from it.
 *
 * ```yaml
 * id: orders-amount-cents
 * owner: component:default/orders-api
 * connection: orders
 * table: orders
 * key: id
 * step: UPDATE orders SET amount_cents = amount * 100
 *       WHERE id BETWEEN :from AND :to AND amount_cents IS NULL
 * verify: SELECT count(*) FROM orders
 *         WHERE id BETWEEN :from AND :to AND amount_cents IS NULL
 * backfill: { batch_size: 5000, rps: 200, checkpoints: ["10%", "50%", "90%", "100%"] }
 * ```
 *
 * @public
 */
export function parseBackfillDefinition(
  file: string,
  text: string,
): ParsedBackfillDefinition {
  const errors: BackfillDefinitionError[] = [];
  if (text.length > MAX_DEFINITION_BYTES) {
    return {
      errors: [
        {
          file,
          line: 1,
          column: 1,
          field: '',
          message: `larger than ${MAX_DEFINITION_BYTES} bytes`,
        },
      ],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  for (const e of doc.errors) {
    errors.push({
      file,
      line: e.linePos?.[0].line ?? 1,
      column: e.linePos?.[0].col ?? 1,
      field: '',
      message: e.message.split('\n')[0],
    });
  }
  if (errors.length) return { errors };
  const at = (
    node: Node | null | undefined,
    field: string,
    message: string,
  ) => {
    const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
    errors.push({ file, line: pos.line, column: pos.col, field, message });
  };
  const root = doc.contents;
  if (!isMap(root)) {
    at(
      root as Node,
      '',
      'expected a map with id, owner, connection, table, key and step',
    );
    return { errors };
  }
  const unknownKeys = (map: YAMLMap, known: string[], prefix: string) => {
    for (const pair of map.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!known.includes(k))
        at(
          pair.key as Node,
          `${prefix}${k}`,
          `unknown field; known: ${known.join(', ')}`,
        );
    }
  };
  unknownKeys(root, TOP_KEYS, '');

  const get = (map: YAMLMap, k: string) => map.get(k, true) as Node | undefined;
  const str = (
    map: YAMLMap,
    k: string,
    field: string,
    opts: { required?: boolean; pattern?: RegExp; hint?: string; max?: number },
  ): string | undefined => {
    const n = get(map, k);
    if (n === undefined || (isScalar(n) && n.value === null)) {
      if (opts.required) at(map, field, 'required');
      return undefined;
    }
    if (!isScalar(n) || typeof n.value !== 'string') {
      at(n, field, 'must be a string');
      return undefined;
    }
    const v = n.value.trim();
    if (opts.pattern && !opts.pattern.test(v)) {
      at(n, field, opts.hint ?? `does not match ${opts.pattern}`);
      return undefined;
    }
    if (v.length > (opts.max ?? 1000)) {
      at(n, field, `longer than ${opts.max ?? 1000} characters`);
      return undefined;
    }
    return v;
  };
  const num = (
    map: YAMLMap | undefined,
    k: string,
    field: string,
    min: number,
    max: number,
    fallback?: number,
    integer = true,
  ): number | undefined => {
    const n = map ? get(map, k) : undefined;
    if (n === undefined) return fallback;
    const v = isScalar(n) ? n.value : undefined;
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      (integer && !Number.isInteger(v)) ||
      v < min ||
      v > max
    ) {
      at(
        n,
        field,
        `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`,
      );
      return undefined;
    }
    return v;
  };

  const id = str(root, 'id', 'id', {
    required: true,
    pattern: ID,
    hint: 'lower-case letters, digits, "-" or "_", starting with a letter (at most 63)',
  });
  const owner = str(root, 'owner', 'owner', {
    required: true,
    pattern: ENTITY_REF,
    hint: 'the owning entity ref, e.g. component:default/orders-api',
  });
  const description = str(root, 'description', 'description', {});
  const connection = str(root, 'connection', 'connection', {
    required: true,
    pattern: /^[A-Za-z0-9_-]+$/,
    hint: 'a connection name under conductor.backfill.connections',
  });
  const table = str(root, 'table', 'table', {
    required: true,
    pattern: SQL_IDENTIFIER,
    hint: 'a table name, optionally schema-qualified',
  });

  let key: string[] | undefined;
  const keyNode = get(root, 'key');
  if (keyNode === undefined) at(root, 'key', 'required: the key column(s)');
  else {
    const items = isSeq(keyNode) ? keyNode.items : [keyNode];
    const cols: string[] = [];
    items.forEach((item, i) => {
      const v = isScalar(item) ? item.value : undefined;
      if (typeof v !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(v))
        at(
          item as Node,
          isSeq(keyNode) ? `key[${i}]` : 'key',
          'must be a column name',
        );
      else cols.push(v);
    });
    if (cols.length === 0 && isSeq(keyNode))
      at(keyNode, 'key', 'needs at least one column');
    if (cols.length > 4) at(keyNode, 'key', 'at most 4 key columns');
    else if (cols.length === items.length && cols.length > 0) key = cols;
  }

  const step = str(root, 'step', 'step', { max: MAX_SQL });
  const jsStep = str(root, 'js_step', 'js_step', {
    pattern: /^[A-Za-z0-9_.-]+$/,
    hint: 'the id of a step registered by a backend module',
  });
  if (!step && !jsStep && !get(root, 'step') && !get(root, 'js_step'))
    at(root, 'step', 'required: the UPDATE of one batch (or js_step)');
  if (step && jsStep)
    at(
      get(root, 'js_step'),
      'js_step',
      'give either step or js_step, not both',
    );
  if (step && table && key) {
    const problem = checkStepSql(step, table, key);
    if (problem) at(get(root, 'step'), 'step', problem);
  }
  const verify = str(root, 'verify', 'verify', { max: MAX_SQL });
  if (verify && key) {
    const problem = checkVerifySql(verify, key);
    if (problem) at(get(root, 'verify'), 'verify', problem);
  }

  const bfNode = get(root, 'backfill');
  let bf: YAMLMap | undefined;
  if (bfNode !== undefined) {
    if (isMap(bfNode)) {
      bf = bfNode;
      unknownKeys(bf, BACKFILL_KEYS, 'backfill.');
    } else
      at(bfNode, 'backfill', 'must be a map (batch_size, rps, checkpoints)');
  }
  const batchSize = num(
    bf,
    'batch_size',
    'backfill.batch_size',
    1,
    1_000_000,
    1000,
  );
  const minBatchSize = num(
    bf,
    'min_batch_size',
    'backfill.min_batch_size',
    1,
    1_000_000,
    Math.min(100, batchSize ?? 100),
  );
  const maxBatchSize = num(
    bf,
    'max_batch_size',
    'backfill.max_batch_size',
    1,
    2_000_000,
    Math.max(50_000, batchSize ?? 0),
  );
  const targetBatchMs = num(
    bf,
    'target_batch_ms',
    'backfill.target_batch_ms',
    50,
    60_000,
    1000,
  );
  const rps = num(bf, 'rps', 'backfill.rps', 1, 10_000_000, 1000);
  if (
    batchSize !== undefined &&
    minBatchSize !== undefined &&
    maxBatchSize !== undefined &&
    !(minBatchSize <= batchSize && batchSize <= maxBatchSize)
  )
    at(
      bf ? get(bf, 'batch_size') ?? bf : root,
      'backfill.batch_size',
      `must lie within min_batch_size ${minBatchSize} and max_batch_size ${maxBatchSize}`,
    );

  let checkpoints: number[] | undefined = [1];
  const cpNode = bf ? get(bf, 'checkpoints') : undefined;
  if (cpNode !== undefined) {
    if (
      !isSeq(cpNode) ||
      cpNode.items.length === 0 ||
      cpNode.items.length > 20
    ) {
      at(
        cpNode,
        'backfill.checkpoints',
        'must be a list of 1 to 20 percentages, e.g. ["10%", "100%"]',
      );
      checkpoints = undefined;
    } else {
      const out: number[] = [];
      cpNode.items.forEach((item, i) => {
        const v = isScalar(item) ? item.value : undefined;
        const m =
          typeof v === 'string'
            ? /^(\d{1,3}(?:\.\d+)?)%$/.exec(v.trim())
            : null;
        const pct = m ? Number(m[1]) : NaN;
        if (!(pct > 0 && pct <= 100)) {
          at(
            item as Node,
            `backfill.checkpoints[${i}]`,
            'must be a percentage above 0% and at most 100%, e.g. "50%"',
          );
        } else if (out.length && pct / 100 <= out[out.length - 1]) {
          at(
            item as Node,
            `backfill.checkpoints[${i}]`,
            'checkpoints must be in ascending order',
          );
        } else out.push(pct / 100);
      });
      checkpoints = out.length === cpNode.items.length ? out : undefined;
    }
  }

  const costBudget = num(
    root,
    'cost_budget',
    'cost_budget',
    0,
    1e12,
    undefined,
    false,
  );

  const health: BackfillHealthSignals = {};
  const hNode = get(root, 'health');
  if (hNode !== undefined) {
    if (!isMap(hNode)) at(hNode, 'health', 'must be a map');
    else {
      unknownKeys(hNode, HEALTH_KEYS, 'health.');
      const sNode = get(hNode, 'services');
      if (sNode !== undefined) {
        if (!isSeq(sNode) || sNode.items.length > 50)
          at(
            sNode,
            'health.services',
            'must be a list of at most 50 entity refs',
          );
        else {
          health.services = [];
          sNode.items.forEach((item, i) => {
            const v = isScalar(item) ? item.value : undefined;
            if (typeof v !== 'string' || !ENTITY_REF.test(v))
              at(
                item as Node,
                `health.services[${i}]`,
                'must be an entity ref, e.g. component:default/orders-api',
              );
            else health.services!.push(v);
          });
        }
      }
      health.maxBurnRate = num(
        hNode,
        'max_burn_rate',
        'health.max_burn_rate',
        0,
        1e6,
        undefined,
        false,
      );
      health.maxLockWaits = num(
        hNode,
        'max_lock_waits',
        'health.max_lock_waits',
        0,
        1e6,
      );
      health.maxReplicationLagSeconds = num(
        hNode,
        'max_replication_lag_seconds',
        'health.max_replication_lag_seconds',
        0,
        1e6,
        undefined,
        false,
      );
      const pNode = get(hNode, 'prometheus');
      if (pNode !== undefined) {
        if (!isMap(pNode))
          at(pNode, 'health.prometheus', 'must be a map with query and max');
        else {
          const query = str(pNode, 'query', 'health.prometheus.query', {
            required: true,
            max: 5000,
          });
          const max = num(
            pNode,
            'max',
            'health.prometheus.max',
            -1e12,
            1e12,
            undefined,
            false,
          );
          if (max === undefined && get(pNode, 'max') === undefined)
            at(
              pNode,
              'health.prometheus.max',
              'required: the value above which the signal is red',
            );
          if (query && max !== undefined) health.prometheus = { query, max };
        }
      }
      for (const k of Object.keys(health) as (keyof BackfillHealthSignals)[])
        if (health[k] === undefined) delete health[k];
    }
  }

  if (errors.length) return { errors };
  return {
    errors,
    definition: {
      id: id!,
      owner: owner!.toLowerCase(),
      ...(description ? { description } : {}),
      connection: connection!,
      table: table!,
      key: key!,
      ...(step ? { step } : {}),
      ...(jsStep ? { jsStep } : {}),
      batchSize: batchSize!,
      minBatchSize: minBatchSize!,
      maxBatchSize: maxBatchSize!,
      targetBatchMs: targetBatchMs!,
      rps: rps!,
      checkpoints: checkpoints!,
      ...(verify ? { verify } : {}),
      ...(costBudget !== undefined ? { costBudget } : {}),
      health,
    },
  };
}

/** `file:line:column field: message`, the form every loader prints. @public */
export function formatBackfillDefinitionError(
  e: BackfillDefinitionError,
): string {
  return `${e.file}:${e.line}:${e.column} ${e.field ? `${e.field}: ` : ''}${
    e.message
  }`;
}
