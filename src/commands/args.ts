// Command-line parsing shared by every command: node's parseArgs with its errors turned into
// usage errors (exit 2), and whole-number options checked once, with the value in the message.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandLine<const O extends Options>(command: string, args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new UserError(`${command}: ${(cause as Error).message}`, usage, { cause });
  }
}

/** A whole number >= `min` given to `option`, or a UserError naming both (and what else it takes). */
export function parseWholeNumber(option: string, text: string, min: number, usage: string, orElse?: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UserError(`${option} expects a whole number >= ${min}${orElse ? ` or ${orElse}` : ''}, got "${text}"`, usage);
  }
  return value;
}
