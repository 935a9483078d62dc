// "Why" of a control's result as a sentence with the values formatted the
// way the rest of the portal shows them: "sbom.coverage 97.0 % ≥ 95.0 %"
// instead of "sbom.coverage = 0.97; meets: evidence.sbom_coverage >= 0.95".
import { KNOWN_FACTS } from '@internal/plugin-conductor-common';
import {
  formatAge,
  formatPercent,
  formatValueOf,
  isShare,
} from '../shared/format';

const SYMBOL: Record<string, string> = {
  '>=': '≥',
  '<=': '≤',
  '>': '>',
  '<': '<',
  '==': '=',
  '!=': '≠',
};

/** ISO timestamps in a message shortened to their day. */
export function shortenTimes(message: string): string {
  return message.replace(/(\d{4}-\d{2}-\d{2})T[\d:.]+Z/g, '$1');
}

/** What the sentence needs of a result. */
export interface WhyInput {
  status: string;
  message: string;
  values: Record<string, unknown>;
}

/**
 * The result's reason as a sentence. A simple comparison of one fact with a
 * number (`x >= 0.95`, `x_age_days <= 30`) or a yes/no fact reads as values;
 * anything else shows the facts read and the check as written.
 */
export function explainResult(
  result: WhyInput,
  check?: string,
  now: Date = new Date(),
): string {
  if (result.status === 'not-applicable') return 'Does not apply here.';
  const names = Object.keys(result.values);
  if (
    (result.status !== 'pass' && result.status !== 'fail') ||
    !check ||
    names.length === 0
  ) {
    return shortenTimes(result.message);
  }
  const pass = result.status === 'pass';
  const comparison =
    /^\s*([A-Za-z_][\w.]*)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(
      check,
    );
  if (comparison && names.length === 1) {
    const [, ident, op, bound] = comparison;
    const name = names[0];
    const value = result.values[name];
    const symbol = `${SYMBOL[op]} `;
    if (ident.endsWith('_age_days') && typeof value === 'string') {
      const shown = `${name} ${formatAge(value, now)} old`;
      return pass
        ? `${shown} (${symbol}${Number(bound)} d)`
        : `${shown}, needs ${symbol}${Number(bound)} d`;
    }
    if (typeof value === 'number') {
      const share = isShare(name);
      const shown = share ? formatPercent(value) : String(value);
      const limit = share
        ? formatPercent(Number(bound))
        : String(Number(bound));
      return pass
        ? `${name} ${shown} ${symbol}${limit}`
        : `${name} ${shown}, needs ${symbol}${limit}`;
    }
  }
  const bare = /^\s*([A-Za-z_][\w.]*)\s*$/.exec(check);
  if (
    bare &&
    names.length === 1 &&
    typeof result.values[names[0]] === 'boolean'
  ) {
    const name = names[0];
    return pass ? `${name}: yes` : `${name} is no, needs yes`;
  }
  const facts = names
    .map(n => `${n} ${showValue(n, result.values[n])}`)
    .join(', ');
  return `${facts}; ${pass ? 'meets' : 'fails'} ${check}`;
}

function showValue(name: string, value: unknown): string {
  if (value === null || value === undefined) return 'missing';
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'string' ||
    Array.isArray(value) ||
    typeof value === 'object'
  ) {
    if (KNOWN_FACTS[name]?.type === 'timestamp' && typeof value === 'string')
      return `${value.slice(0, 10)}`;
    return formatValueOf(name, value as any);
  }
  return String(value);
}
