import {
  BundleCheckError,
  BundleStatement,
  buildBundleStatement,
  checkBundleFiles,
  dssePae,
  parseBundleArchive,
  serializeBundleArchive,
} from './model';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const bundle = {
  scope: { kind: 'all' as const },
  since: null,
  createdAt: '2026-11-26T00:00:00.000Z',
  createdBy: 'user:default/admin',
};

function thrown(fn: () => unknown): BundleCheckError {
  try {
    fn();
  } catch (e) {
    return e as BundleCheckError;
  }
  throw new Error('did not throw');
}

describe('dssePae', () => {
  it('is the DSSE v1 pre-authentication encoding, lengths in bytes', () => {
    // The example from the DSSE protocol document.
    expect(
      new TextDecoder().decode(
        dssePae(
          'http://example.com/HelloWorld',
          new TextEncoder().encode('hello world'),
        ),
      ),
    ).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    // Multi-byte characters count as their UTF-8 bytes.
    expect(
      new TextDecoder().decode(dssePae('t', new TextEncoder().encode('é'))),
    ).toBe('DSSEv1 1 t 2 é');
  });
});

describe('buildBundleStatement', () => {
  it('makes each file a subject of an in-toto Statement v1', () => {
    const s = buildBundleStatement(bundle, [
      { name: 'controls/scores.json', size: 3, sha256: A },
      { name: 'ci-library/CHANGELOG.md', size: 4, sha256: B },
    ]);
    expect(s._type).toBe('https://in-toto.io/Statement/v1');
    expect(s.subject).toEqual([
      { name: 'controls/scores.json', digest: { sha256: A } },
      { name: 'ci-library/CHANGELOG.md', digest: { sha256: B } },
    ]);
    expect(s.predicate.manifest).toHaveLength(2);
  });

  it('refuses unsafe names, duplicates and bad digests', () => {
    expect(() =>
      buildBundleStatement(bundle, [
        { name: '../etc/passwd', size: 1, sha256: A },
      ]),
    ).toThrow('Bundle file name "../etc/passwd" is not allowed');
    expect(() =>
      buildBundleStatement(bundle, [
        { name: 'a.json', size: 1, sha256: A },
        { name: 'a.json', size: 1, sha256: A },
      ]),
    ).toThrow('Bundle file a.json appears twice');
    expect(() =>
      buildBundleStatement(bundle, [
        { name: 'a.json', size: 1, sha256: 'xyz' },
      ]),
    ).toThrow('Bundle file a.json: sha256 must be 64 hex digits');
  });
});

describe('parseBundleArchive', () => {
  const archive = serializeBundleArchive({
    header: {
      format: 'conductor-evidence-bundle/v1',
      createdAt: bundle.createdAt,
      keyId: A,
      publicKey: 'PEM',
    },
    files: [{ name: 'a.json', base64: 'e30=' }],
    envelope: {
      payloadType: 'application/vnd.in-toto+json',
      payload: 'e30=',
      signatures: [{ keyid: A, sig: 'c2ln' }],
    },
  });

  it('reads what serializeBundleArchive wrote', () => {
    const parsed = parseBundleArchive(archive);
    expect(parsed.files).toEqual([{ name: 'a.json', base64: 'e30=' }]);
    expect(parsed.envelope.signatures[0].keyid).toBe(A);
  });

  it('names the line where a cut archive ends, and a missing envelope', () => {
    const cut = thrown(() =>
      parseBundleArchive(archive.slice(0, archive.length - 20)),
    );
    expect(cut.check).toBe('archive');
    expect(cut.message).toBe(
      'archive truncated or damaged: line 3 is not a complete JSON object',
    );
    const noEnvelope = thrown(() =>
      parseBundleArchive(archive.split('\n').slice(0, 2).join('\n')),
    );
    expect(noEnvelope.message).toBe(
      'archive truncated: the signature envelope (the last line) is missing',
    );
    expect(thrown(() => parseBundleArchive('{"format":"zip"}\n')).message).toBe(
      'line 1 does not name the format conductor-evidence-bundle/v1',
    );
  });
});

describe('checkBundleFiles', () => {
  const statement: BundleStatement = buildBundleStatement(bundle, [
    { name: 'a.json', size: 1, sha256: A },
    { name: 'b.json', size: 1, sha256: B },
  ]);

  it('passes when every file matches', () => {
    expect(() =>
      checkBundleFiles(statement, [
        { name: 'a.json', sha256: A },
        { name: 'b.json', sha256: B },
      ]),
    ).not.toThrow();
  });

  it('names the first file that does not match, a missing file, an extra file', () => {
    const changed = thrown(() =>
      checkBundleFiles(statement, [
        { name: 'a.json', sha256: A },
        { name: 'b.json', sha256: A },
      ]),
    );
    expect([changed.check, changed.file]).toEqual(['file', 'b.json']);
    expect(changed.message).toBe(
      `b.json: sha256 ${A} does not match the signed manifest (${B})`,
    );
    expect(
      thrown(() => checkBundleFiles(statement, [{ name: 'a.json', sha256: A }]))
        .message,
    ).toBe('b.json: signed in the manifest but missing from the archive');
    expect(
      thrown(() =>
        checkBundleFiles(statement, [
          { name: 'a.json', sha256: A },
          { name: 'b.json', sha256: B },
          { name: 'c.json', sha256: B },
        ]),
      ).message,
    ).toBe('c.json: in the archive but not in the signed manifest');
  });
});
