/**
 * Evidence bundle v1.3: the pure parts shared by the backend (which builds
 * and signs), the CLI (which verifies offline) and the portal (which lists).
 * No `node:crypto` here: this package also runs in the browser, so hashing
 * and Ed25519 live in the backend and the CLI.
 */

/** The in-toto Statement type the bundle manifest is wrapped in. */
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The DSSE payload type of an in-toto Statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** What the predicate of a Conductor bundle statement is. */
export const BUNDLE_PREDICATE_TYPE =
  'https://maestro-conductor.dev/evidence-bundle/v1.3';
/** The first line of every bundle archive names this format. */
export const BUNDLE_ARCHIVE_FORMAT = 'conductor-evidence-bundle/v1';
/** The largest archive `verify` reads and the backend stores (64 MB). */
export const BUNDLE_MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;

/** What a bundle covers: one entity, one team's entities, or everything. */
export type BundleScope =
  | { kind: 'entity'; entityRef: string }
  | { kind: 'team'; team: string }
  | { kind: 'all' };

/** One file of the manifest: its path in the bundle, size and SHA-256. */
export interface BundleManifestEntry {
  name: string;
  size: number;
  sha256: string;
}

/** The predicate of the statement: what the bundle is and its manifest. */
export interface BundlePredicate {
  bundle: {
    scope: BundleScope;
    since: string | null;
    createdAt: string;
    createdBy: string;
  };
  manifest: BundleManifestEntry[];
}

/** An in-toto Statement v1 whose subjects are the bundle's files. */
export interface BundleStatement {
  _type: typeof IN_TOTO_STATEMENT_TYPE;
  subject: Array<{ name: string; digest: { sha256: string } }>;
  predicateType: typeof BUNDLE_PREDICATE_TYPE;
  predicate: BundlePredicate;
}

/** A DSSE envelope (payload and signatures base64, as the spec has it). */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

/** The first line of an archive. */
export interface BundleArchiveHeader {
  format: typeof BUNDLE_ARCHIVE_FORMAT;
  createdAt: string;
  keyId: string;
  /** The signer's public key (SPKI PEM), for convenience only: `verify --key` pins the key. */
  publicKey: string;
}

/** One file line of an archive; the content is base64 so any byte survives. */
export interface BundleArchiveFile {
  name: string;
  base64: string;
}

/** A parsed archive: header, files in order, the signed envelope. */
export interface BundleArchive {
  header: BundleArchiveHeader;
  files: BundleArchiveFile[];
  envelope: DsseEnvelope;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;

/** Whether a bundle file name is safe to write out (no `..`, no absolute path). */
export function isBundleFileName(name: string): boolean {
  return FILE_NAME.test(name) && !name.split('/').some(p => p === '..' || !p);
}

/** The manifest as an in-toto Statement v1: each file is a subject. */
export function buildBundleStatement(
  bundle: BundlePredicate['bundle'],
  manifest: BundleManifestEntry[],
): BundleStatement {
  const names = new Set<string>();
  for (const entry of manifest) {
    if (!isBundleFileName(entry.name))
      throw new Error(
        `Bundle file name ${JSON.stringify(entry.name)} is not allowed`,
      );
    if (names.has(entry.name))
      throw new Error(`Bundle file ${entry.name} appears twice`);
    if (!SHA256_HEX.test(entry.sha256))
      throw new Error(
        `Bundle file ${entry.name}: sha256 must be 64 hex digits`,
      );
    names.add(entry.name);
  }
  return {
    _type: IN_TOTO_STATEMENT_TYPE,
    subject: manifest.map(e => ({
      name: e.name,
      digest: { sha256: e.sha256 },
    })),
    predicateType: BUNDLE_PREDICATE_TYPE,
    predicate: { bundle, manifest },
  };
}

/**
 * The DSSE pre-authentication encoding the signature is over:
 * `DSSEv1 <len(type)> <type> <len(body)> <body>`, lengths in bytes.
 */
export function dssePae(payloadType: string, body: Uint8Array): Uint8Array {
  const encoder = new TextEncoder();
  const type = encoder.encode(payloadType);
  const head = encoder.encode(
    `DSSEv1 ${type.length} ${payloadType} ${body.length} `,
  );
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/** Writes an archive: header line, one line per file, the envelope last. */
export function serializeBundleArchive(archive: BundleArchive): string {
  return `${[
    JSON.stringify(archive.header),
    ...archive.files.map(f =>
      JSON.stringify({ file: f.name, base64: f.base64 }),
    ),
    JSON.stringify({ envelope: archive.envelope }),
  ].join('\n')}\n`;
}

/** Why an archive or bundle failed a check, naming the check (and the file). */
export class BundleCheckError extends Error {
  constructor(
    readonly check: 'archive' | 'signature' | 'statement' | 'file',
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads an archive. The envelope comes last, so an archive cut anywhere
 * fails here with the line where it ends.
 */
export function parseBundleArchive(text: string): BundleArchive {
  const fail = (message: string) => {
    throw new BundleCheckError('archive', message);
  };
  if (text.length > BUNDLE_MAX_ARCHIVE_BYTES)
    fail(`archive is larger than ${BUNDLE_MAX_ARCHIVE_BYTES} bytes`);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const parsed = lines.map((line, i) => {
    try {
      const value = JSON.parse(line);
      if (!isObject(value)) throw new Error('not an object');
      return value;
    } catch {
      return fail(
        `archive truncated or damaged: line ${
          i + 1
        } is not a complete JSON object`,
      );
    }
  });
  const header = parsed[0];
  if (!header || header.format !== BUNDLE_ARCHIVE_FORMAT)
    fail(`line 1 does not name the format ${BUNDLE_ARCHIVE_FORMAT}`);
  if (
    typeof header!.keyId !== 'string' ||
    typeof header!.publicKey !== 'string'
  )
    fail('line 1: keyId and publicKey must be strings');
  const last = parsed[parsed.length - 1];
  if (parsed.length < 2 || !isObject(last?.envelope))
    fail(
      'archive truncated: the signature envelope (the last line) is missing',
    );
  const envelope = last!.envelope as Record<string, unknown>;
  if (
    typeof envelope.payloadType !== 'string' ||
    typeof envelope.payload !== 'string' ||
    !Array.isArray(envelope.signatures) ||
    !envelope.signatures.every(
      s =>
        isObject(s) && typeof s.sig === 'string' && typeof s.keyid === 'string',
    )
  )
    fail(
      `line ${parsed.length}: envelope must have payloadType, payload and signatures`,
    );
  const files = parsed.slice(1, -1).map((line, i) => {
    if (typeof line.file !== 'string' || typeof line.base64 !== 'string')
      fail(`line ${i + 2}: a file line must have file and base64`);
    if (!isBundleFileName(line.file as string))
      fail(
        `line ${i + 2}: file name ${JSON.stringify(line.file)} is not allowed`,
      );
    return { name: line.file as string, base64: line.base64 as string };
  });
  return {
    header: header as unknown as BundleArchiveHeader,
    files,
    envelope: envelope as unknown as DsseEnvelope,
  };
}

/** Checks a decoded statement is a Conductor bundle statement; returns it typed. */
export function parseBundleStatement(json: unknown): BundleStatement {
  const fail = (message: string) => {
    throw new BundleCheckError('statement', message);
  };
  if (!isObject(json)) return fail('the payload is not a JSON object');
  if (json._type !== IN_TOTO_STATEMENT_TYPE)
    fail(`_type must be ${IN_TOTO_STATEMENT_TYPE}`);
  if (json.predicateType !== BUNDLE_PREDICATE_TYPE)
    fail(`predicateType must be ${BUNDLE_PREDICATE_TYPE}`);
  if (
    !Array.isArray(json.subject) ||
    !json.subject.every(
      s =>
        isObject(s) &&
        typeof s.name === 'string' &&
        isObject(s.digest) &&
        typeof s.digest.sha256 === 'string' &&
        SHA256_HEX.test(s.digest.sha256),
    )
  )
    fail('subject must list {name, digest: {sha256}} with 64 hex digits');
  return json as unknown as BundleStatement;
}

/**
 * Compares the archive's files with the statement's subjects, given each
 * file's SHA-256; throws naming the first file that does not match.
 */
export function checkBundleFiles(
  statement: BundleStatement,
  files: Array<{ name: string; sha256: string }>,
): void {
  const inArchive = new Map(files.map(f => [f.name, f.sha256]));
  for (const subject of statement.subject) {
    const actual = inArchive.get(subject.name);
    if (actual === undefined)
      throw new BundleCheckError(
        'file',
        `${subject.name}: signed in the manifest but missing from the archive`,
        subject.name,
      );
    if (actual !== subject.digest.sha256)
      throw new BundleCheckError(
        'file',
        `${subject.name}: sha256 ${actual} does not match the signed manifest (${subject.digest.sha256})`,
        subject.name,
      );
  }
  const signed = new Set(statement.subject.map(s => s.name));
  const extra = files.find(f => !signed.has(f.name));
  if (extra)
    throw new BundleCheckError(
      'file',
      `${extra.name}: in the archive but not in the signed manifest`,
      extra.name,
    );
}
