import {
  BUNDLE_MAX_ARCHIVE_BYTES,
  BundleCheckError,
  BundleStatement,
  IN_TOTO_PAYLOAD_TYPE,
  checkBundleFiles,
  dssePae,
  parseBundleArchive,
  parseBundleStatement,
} from '@internal/plugin-conductor-common';
import crypto, { KeyObject } from 'node:crypto';

/** What a successful verification established. */
export interface BundleVerified {
  statement: BundleStatement;
  keyId: string;
  /** False when no `--key` was given: the key in the archive was used. */
  keyPinned: boolean;
}

const keyIdOf = (key: KeyObject) =>
  crypto
    .createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');

/**
 * Verifies an archive offline: the DSSE signature over the pre-authentication
 * encoding (with `publicKeyPem` when given, else the key the archive names),
 * then every file's SHA-256 against the signed manifest. Throws
 * BundleCheckError naming the check (and the file) that failed.
 */
export function verifyBundle(
  archiveText: string,
  publicKeyPem?: string,
): BundleVerified {
  if (Buffer.byteLength(archiveText) > BUNDLE_MAX_ARCHIVE_BYTES)
    throw new BundleCheckError(
      'archive',
      `archive is larger than ${BUNDLE_MAX_ARCHIVE_BYTES} bytes`,
    );
  const archive = parseBundleArchive(archiveText);
  let key: KeyObject;
  try {
    key = crypto.createPublicKey(publicKeyPem ?? archive.header.publicKey);
  } catch (e) {
    throw new BundleCheckError(
      'signature',
      `${publicKeyPem ? '--key' : 'the archive'} holds no usable public key: ${
        (e as Error).message
      }`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new BundleCheckError(
      'signature',
      `the public key must be Ed25519, got ${key.asymmetricKeyType}`,
    );
  const { envelope } = archive;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    throw new BundleCheckError(
      'signature',
      `payloadType must be ${IN_TOTO_PAYLOAD_TYPE}, got ${envelope.payloadType}`,
    );
  const body = Buffer.from(envelope.payload, 'base64');
  const pae = dssePae(envelope.payloadType, body);
  const keyId = keyIdOf(key);
  const valid = envelope.signatures.some(s =>
    crypto.verify(null, pae, key, Buffer.from(s.sig, 'base64')),
  );
  if (!valid)
    throw new BundleCheckError(
      'signature',
      `the DSSE signature does not verify with key ${keyId}${
        publicKeyPem ? ' (--key)' : ''
      }: wrong key, or the manifest was changed after signing`,
    );
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BundleCheckError('statement', 'the signed payload is not JSON');
  }
  const statement = parseBundleStatement(json);
  checkBundleFiles(
    statement,
    archive.files.map(f => ({
      name: f.name,
      sha256: crypto
        .createHash('sha256')
        .update(Buffer.from(f.base64, 'base64'))
        .digest('hex'),
    })),
  );
  return { statement, keyId, keyPinned: publicKeyPem !== undefined };
}
