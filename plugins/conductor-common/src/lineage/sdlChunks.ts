import { DefinitionNode, DocumentNode, Kind, parse } from 'graphql';

/** The parsed definitions of a schema by the text of each, for the next load to reuse. */
export type DefinitionsByText = Map<string, readonly DefinitionNode[]>;

const KEYWORDS = new Set([
  'type',
  'interface',
  'union',
  'enum',
  'input',
  'scalar',
  'directive',
  'schema',
  'extend',
]);

const isNameChar = (c: number) =>
  (c >= 48 && c <= 57) ||
  (c >= 65 && c <= 90) ||
  (c >= 97 && c <= 122) ||
  c === 95;

/**
 * Where top-level definitions may start: a line whose first token, outside
 * strings, comments and brackets, is a definition keyword or a description
 * (a string at the top level can only be one), not right after a
 * description (which belongs to the definition that follows). No definition
 * can continue with such a token (lists continue with `|` or `&`), so each
 * piece parses alone to the same definitions; a piece that does not parse
 * alone makes the caller parse the whole text.
 */
export function definitionStarts(sdl: string): number[] {
  const starts = [0];
  const n = sdl.length;
  let depth = 0;
  let i = 0;
  let lineStart = true;
  let afterDescription = false;
  let seenToken = false;
  while (i < n) {
    const c = sdl.charCodeAt(i);
    if (c === 10 || c === 13) {
      lineStart = true;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 44 || c === 0xfeff) {
      lineStart = false;
      i++;
      continue;
    }
    if (c === 35) {
      // a comment, to the end of its line
      while (i < n && sdl.charCodeAt(i) !== 10 && sdl.charCodeAt(i) !== 13) i++;
      continue;
    }
    // a description belongs to the definition after it
    const startsDefinition =
      lineStart && depth === 0 && seenToken && !afterDescription;
    lineStart = false;
    seenToken = true;
    if (c === 34) {
      if (startsDefinition) starts.push(i);
      if (sdl.startsWith('"""', i)) {
        i += 3;
        while (i < n && !sdl.startsWith('"""', i))
          i += sdl.startsWith('\\"""', i) ? 4 : 1;
        i += 3;
      } else {
        i++;
        while (i < n) {
          const d = sdl.charCodeAt(i);
          if (d === 92) i += 2;
          else {
            i++;
            if (d === 34 || d === 10 || d === 13) break;
          }
        }
      }
      afterDescription = depth === 0;
      continue;
    }
    afterDescription = false;
    if (c === 123 || c === 40 || c === 91) {
      depth++;
      i++;
      continue;
    }
    if (c === 125 || c === 41 || c === 93) {
      depth--;
      i++;
      continue;
    }
    let j = i;
    while (j < n && isNameChar(sdl.charCodeAt(j))) j++;
    if (j === i) j = i + 1;
    else if (startsDefinition && KEYWORDS.has(sdl.slice(i, j))) starts.push(i);
    i = j;
  }
  return starts;
}

/**
 * Parses SDL without locations piece by piece (see
 * {@link definitionStarts}), taking the definitions of a piece whose text
 * `reuse` holds (the schema before the change) instead of parsing it again:
 * a head schema shares most of its text with its base. The same document as
 * `parse(sdl, { noLocation: true })` (tested); undefined when a piece does
 * not parse alone, and the caller parses the whole text for its error.
 */
export function parseByDefinition(
  sdl: string,
  reuse?: DefinitionsByText,
): { document: DocumentNode; byText: DefinitionsByText } | undefined {
  const starts = definitionStarts(sdl);
  const byText: DefinitionsByText = new Map();
  const definitions: DefinitionNode[] = [];
  for (let k = 0; k < starts.length; k++) {
    const text = sdl.slice(starts[k], starts[k + 1] ?? sdl.length);
    // a text twice in one document is parsed twice: nodes are told apart
    // by identity (the duplicate-member pass drops a node, not a text)
    let parsed = byText.has(text) ? undefined : reuse?.get(text);
    if (!parsed) {
      try {
        parsed = parse(text, { noLocation: true }).definitions;
      } catch {
        return undefined;
      }
    }
    byText.set(text, parsed);
    for (const d of parsed) definitions.push(d);
  }
  return { document: { kind: Kind.DOCUMENT, definitions }, byText };
}
