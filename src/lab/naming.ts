// Per-run names. Every namespace scanlab makes is "sl<6 hex>-<host>", so parallel runs and
// tests never collide and `lab down --all` can find exactly what scanlab left behind.

import { randomBytes } from 'node:crypto';

export const NAMESPACE_PATTERN = /^sl[0-9a-f]{6}-[a-z0-9]+$/;
export const SWITCH_HOST = 'switch';

export function newLabId(): string {
  return `sl${randomBytes(3).toString('hex')}`;
}

export function namespaceName(labId: string, host: string): string {
  return `${labId}-${host}`;
}

export function labIdOf(namespace: string): string | undefined {
  return NAMESPACE_PATTERN.test(namespace) ? namespace.split('-')[0] : undefined;
}
