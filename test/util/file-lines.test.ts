// forEachLine hands every line of a file once, in order, whatever the chunk size: lines that
// straddle chunks, lines longer than a chunk, CRLF kept for the caller, a last line without "\n".
import { afterAll, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forEachLine } from '../../src/util/file-lines.ts';
import { tempDir } from '../helpers/tools.ts';

const tmp = tempDir('file-lines');
afterAll(() => tmp.remove());

const text = ['no,label,step', '1,scan,syn', '', `2,benign,${'x'.repeat(50)}`, '3,scan,syn\r', '4,benign,'].join('\n');

test.each([1, 2, 3, 7, 16, 4096])('chunks of %i bytes give the lines split("\\n") gives', (chunk) => {
  const path = join(tmp.path, 'a.csv');
  writeFileSync(path, text);
  const lines: [number, string][] = [];
  forEachLine(path, (b, s, e, n) => lines.push([n, b.toString('utf8', s, e)]), chunk);
  expect(lines).toEqual(text.split('\n').map((l, i) => [i + 1, l]));
});

test('a file ending in "\\n" has no empty last line; an empty file has none', () => {
  const path = join(tmp.path, 'b.csv');
  writeFileSync(path, 'a\nb\n');
  const lines: string[] = [];
  forEachLine(path, (b, s, e) => lines.push(b.toString('utf8', s, e)), 3);
  expect(lines).toEqual(['a', 'b']);
  writeFileSync(path, '');
  let calls = 0;
  forEachLine(path, () => calls++);
  expect(calls).toBe(0);
});
