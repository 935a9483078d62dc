import { Entity } from '@backstage/catalog-model';
import {
  Document,
  LineCounter,
  YAMLMap,
  YAMLSeq,
  isMap,
  isSeq,
  parseAllDocuments,
} from 'yaml';

/** A file the bot cannot read, with its place. @public */
export class RemediationInputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(`${file}:${line}:${column} ${message}`);
    this.name = 'RemediationInputError';
  }
}

/** A line with the spaces before a trailing comment collapsed, as the printer writes it. */
const normalise = (line: string) =>
  line.replace(/(\S)[ \t]+#/, '$1 #').trimEnd();

/**
 * The printer collapses the spaces before a trailing comment; an unchanged
 * line is taken back from the original so the diff shows only real edits.
 */
function keepOriginalSpacing(original: string, printed: string): string {
  const byNormal = new Map<string, string>();
  for (const line of original.split('\n')) {
    if (!byNormal.has(normalise(line))) byNormal.set(normalise(line), line);
  }
  return printed
    .split('\n')
    .map(line => byNormal.get(line) ?? line)
    .join('\n');
}

/**
 * A multi-document YAML file (such as `catalog-info.yaml`) edited through the
 * `yaml` library's document API. Only the documents an edit touched are
 * printed again and spliced into the original text, so every other byte of
 * the file (other documents, their comments and spacing) stays as it was;
 * inside a touched document the library keeps comments, key order, quoting
 * and anchors.
 */
export class YamlFile {
  readonly docs: Document.Parsed[];
  private readonly touched = new Set<number>();
  private readonly indentSeq: boolean;
  private readonly flowPadding: boolean;

  private constructor(readonly path: string, readonly text: string) {
    const lineCounter = new LineCounter();
    this.docs = parseAllDocuments(text, { lineCounter }) as Document.Parsed[];
    if (!Array.isArray(this.docs)) this.docs = [];
    for (const doc of this.docs) {
      const e = doc.errors[0];
      if (e) {
        const pos = lineCounter.linePos(e.pos[0]);
        throw new RemediationInputError(
          path,
          pos.line,
          pos.col,
          e.message.split('\n')[0],
        );
      }
    }
    // Keep the file's own style for block sequences under a key: "  - x"
    // (indented) or "- x" (flush with the key).
    this.indentSeq = !/^(\s*)[\w.-]+:\s*\n\1- /m.test(text);
    // ...and its style of flow collections: "{ a: 1 }" or "{a: 1}".
    this.flowPadding = /[[{] \S/.test(text) || !/[[{]\S/.test(text);
  }

  /** Parses `text`; throws RemediationInputError naming file, line and column. */
  static parse(path: string, text: string): YamlFile {
    return new YamlFile(path, text);
  }

  /** The catalog entities of the file, with their document index. */
  entities(): Array<{ index: number; entity: Entity }> {
    const out: Array<{ index: number; entity: Entity }> = [];
    this.docs.forEach((doc, index) => {
      const value = doc.toJSON() as Entity | null;
      if (value && typeof value === 'object' && value.kind && value.metadata)
        out.push({ index, entity: value });
    });
    return out;
  }

  /** Sets a scalar at `path` in document `index`, creating maps on the way. */
  setIn(index: number, path: string[], value: unknown) {
    const doc = this.docs[index];
    doc.setIn(path, doc.createNode(value));
    this.touched.add(index);
  }

  /** Appends `value` to the sequence at `path`, creating it when absent. */
  appendTo(index: number, path: string[], value: unknown) {
    const doc = this.docs[index];
    const node = doc.getIn(path, true);
    if (isSeq(node)) {
      (node as YAMLSeq).add(doc.createNode(value));
    } else if (node === undefined || node === null) {
      const parentPath = path.slice(0, -1);
      const parent = parentPath.length
        ? doc.getIn(parentPath, true)
        : doc.contents;
      if (parentPath.length && !isMap(parent))
        doc.setIn(parentPath, doc.createNode({}));
      const seq = doc.createNode([value]) as YAMLSeq;
      // A new list inside a flow map must be a flow list too.
      if (isMap(parent) && (parent as YAMLMap).flow) seq.flow = true;
      doc.setIn(path, seq);
    } else {
      throw new RemediationInputError(
        this.path,
        1,
        1,
        `${path.join('.')}: expected a list`,
      );
    }
    this.touched.add(index);
  }

  /** The file's text with the touched documents printed again. */
  toString(): string {
    if (this.touched.size === 0) return this.text;
    let out = '';
    let cursor = 0;
    this.docs.forEach((doc, i) => {
      // A document's text starts at its "---" (or the file's start) and
      // ends where the next one starts.
      const start = i === 0 ? 0 : doc.range[0];
      const end =
        i + 1 < this.docs.length ? this.docs[i + 1].range[0] : this.text.length;
      out += this.text.slice(cursor, start);
      if (this.touched.has(i)) {
        let printed = doc.toString({
          indentSeq: this.indentSeq,
          flowCollectionPadding: this.flowPadding,
        });
        const original = this.text.slice(start, end);
        // Keep the blank lines that separated it from the next document.
        const trailing = /\n*$/.exec(original)?.[0] ?? '';
        printed =
          keepOriginalSpacing(original, printed.replace(/\n*$/, '')) +
          (trailing || '\n');
        out += printed;
      } else {
        out += this.text.slice(start, end);
      }
      cursor = end;
    });
    out += this.text.slice(cursor);
    return out;
  }
}
