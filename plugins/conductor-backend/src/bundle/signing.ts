import {
  DsseEnvelope,
  IN_TOTO_PAYLOAD_TYPE,
  dssePae,
} from '@internal/plugin-conductor-common';
import crypto, { KeyObject } from 'node:crypto';

/** The config key holding the PEM Ed25519 private key bundles are signed with. */
export const SIGNING_KEY_CONFIG = 'conductor.bundle.signingKey';

/** SHA-256 of bytes, lower-case hex. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** The key id: SHA-256 of the public key's SPKI DER encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  return sha256Hex(publicKey.export({ type: 'spki', format: 'der' }));
}

/** An Ed25519 signer; throws naming the config key when the PEM is not one. */
export function ed25519Signer(pem: string) {
  let privateKey: KeyObject;
  try {
    privateKey = crypto.createPrivateKey(pem);
  } catch (e) {
    throw new Error(
      `${SIGNING_KEY_CONFIG} is not a PEM private key: ${(e as Error).message}`,
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(
      `${SIGNING_KEY_CONFIG} must be an Ed25519 key, got ${privateKey.asymmetricKeyType}`,
    );
  const publicKey = crypto.createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    /** Signs the statement as a DSSE envelope over the pre-authentication encoding. */
    envelope(statementJson: string): DsseEnvelope {
      const body = Buffer.from(statementJson, 'utf8');
      const sig = crypto.sign(
        null,
        dssePae(IN_TOTO_PAYLOAD_TYPE, body),
        privateKey,
      );
      return {
        payloadType: IN_TOTO_PAYLOAD_TYPE,
        payload: body.toString('base64'),
        signatures: [{ keyid: keyId, sig: sig.toString('base64') }],
      };
    },
  };
}
