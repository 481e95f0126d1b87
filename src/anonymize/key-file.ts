// The Crypto-PAn key: read from a file (32 raw bytes, or 64 hex digits with optional
// whitespace) or derived from the seed. The key is never written anywhere by scanlab.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';

export function readKeyFile(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `cannot read key file ${path}: ${code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`,
      'pass --key with a readable file holding 32 random bytes, e.g. `head -c 32 /dev/urandom > anon.key`, or leave --key out to derive the key from --seed',
      { cause: error },
    );
  }
  if (raw.length === 32) return new Uint8Array(raw);
  const text = raw.toString('latin1').replace(/\s+/g, '');
  if (/^[0-9a-fA-F]{64}$/.test(text)) return new Uint8Array(Buffer.from(text, 'hex'));
  throw new UserError(
    `key file ${path} holds ${raw.length} bytes; expected 32 raw bytes or 64 hex digits`,
    'make one with `head -c 32 /dev/urandom > anon.key`',
  );
}

export function keyFromSeed(seed: number): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`scanlab crypto-pan key, seed ${seed}`).digest());
}
