import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets at rest, sealed with AES-256-GCM (node:crypto) under SECRETS_KEY, as
 * `v1:<key id>:<iv>:<ciphertext>:<tag>` (base64). The key id (the first 8 hex digits of the key's
 * SHA-256) says which key sealed a value, so a rotation knows what is left to re-encrypt; the
 * context (e.g. the endpoint id) is authenticated too, so a value copied onto another row does not
 * open there.
 */
export const SEALED_PREFIX = 'v1:';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export type SecretBoxErrorCode =
  | 'secrets_key_missing'
  | 'secret_not_sealed'
  | 'secret_key_unknown'
  | 'secret_unreadable';

/** Says what is wrong with a key or a stored value, never what the value is. */
export class SecretBoxError extends Error {
  readonly code: SecretBoxErrorCode;
  constructor(code: SecretBoxErrorCode, message: string) {
    super(message);
    this.name = 'SecretBoxError';
    this.code = code;
  }
}

export type SecretBox = {
  /** The id of SECRETS_KEY, which seals every new value. */
  readonly keyId: string;
  seal(plaintext: string, context: string): string;
  /** Opens a value sealed under SECRETS_KEY or SECRETS_KEY_PREVIOUS. */
  open(sealed: string, context: string): string;
  /** The id of the key a stored value was sealed with; null for a value that is not sealed. */
  keyIdOf(stored: string): string | null;
};

export const keyIdOf = (key: Uint8Array): string => createHash('sha256').update(key).digest('hex').slice(0, 8);

export function createSecretBox(keys: { key: Uint8Array; previousKey?: Uint8Array | undefined }): SecretBox {
  const current = { id: keyIdOf(keys.key), key: keys.key };
  const byId = new Map([[current.id, current.key]]);
  if (keys.previousKey) byId.set(keyIdOf(keys.previousKey), keys.previousKey);

  const storedKeyId = (stored: string): string | null =>
    stored.startsWith(SEALED_PREFIX) ? (stored.split(':')[1] ?? null) : null;

  return {
    keyId: current.id,

    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64'));
      return `${SEALED_PREFIX}${current.id}:${parts.join(':')}`;
    },

    open(sealed, context) {
      const parts = sealed.split(':');
      if (!sealed.startsWith(SEALED_PREFIX) || parts.length !== 5) {
        throw new SecretBoxError('secret_not_sealed', 'The stored secret is not in the v1 encrypted form');
      }
      const [, id = '', iv = '', ciphertext = '', tag = ''] = parts;
      const key = byId.get(id);
      if (!key) {
        const known = [...byId.keys()].join(' or ');
        throw new SecretBoxError(
          'secret_key_unknown',
          `The stored secret was encrypted with key ${id}, but the configured keys are ${known}: set SECRETS_KEY (or SECRETS_KEY_PREVIOUS during a rotation) to the key that encrypted it`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'), { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        // GCM's check failed: the value was altered, copied from another row, or the key is not the one its id names.
        throw new SecretBoxError('secret_unreadable', `The stored secret does not decrypt with key ${id}`);
      }
    },

    keyIdOf: storedKeyId,
  };
}

/** The box of a process, from its config; SECRETS_KEY is required wherever a secret is read or written. */
export function secretBoxFromConfig(config: {
  SECRETS_KEY?: Uint8Array | undefined;
  SECRETS_KEY_PREVIOUS?: Uint8Array | undefined;
}): SecretBox {
  if (!config.SECRETS_KEY) {
    throw new SecretBoxError(
      'secrets_key_missing',
      'Invalid configuration: SECRETS_KEY is required (32 bytes: openssl rand -base64 32; npm start generates one in .data/secrets.key)',
    );
  }
  return createSecretBox({ key: config.SECRETS_KEY, previousKey: config.SECRETS_KEY_PREVIOUS });
}
