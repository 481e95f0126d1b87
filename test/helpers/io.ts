// A command's two streams, captured as text: for calling command functions directly.

import { PassThrough } from 'node:stream';
import type { CommandIO } from '../../src/commands/io.ts';

export function captureIO(): { io: CommandIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}
