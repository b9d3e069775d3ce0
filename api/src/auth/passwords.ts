import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashes: scrypt (Node's own, no dependency), stored as `scrypt$N$r$p$salt$hash` with
 * base64url parts. The parameters travel with each hash, so raising them later still verifies the
 * old ones. N = 2^15, r = 8 needs 32 MiB per hash (128·N·r), above Node's default `maxmem`.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
// Refuses stored parameters that would cost more than this, whatever wrote them.
const MAX_MEMORY_BYTES = 256 * 1024 ** 2;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: Math.min(MAX_MEMORY_BYTES, 2 * 128 * params.N * params.r) };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, HASH_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

const ENCODED = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([\w-]+)\$([\w-]+)$/;

/** False for a wrong password and for a hash this code cannot read. Compares in constant time. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const match = ENCODED.exec(encoded);
  if (!match) return false;
  const [, n, r, p, salt, hash] = match;
  const expected = Buffer.from(hash ?? '', 'base64url');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (128 * params.N * params.r > MAX_MEMORY_BYTES || expected.length === 0) return false;
  const actual = await derive(password, Buffer.from(salt ?? '', 'base64url'), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;
/**
 * Verifies against a hash nobody's password matches, so an unknown email takes as long as a wrong
 * password and the answer time does not tell which emails exist. Made once, on first use.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url'));
  await verifyPassword(password, await dummyHash);
  return false;
}
