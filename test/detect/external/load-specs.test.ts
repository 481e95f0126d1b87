// Detectors from the command line and from a detectors file: checked once, with messages naming
// the file, line and field; commands split like a shell splits words, without a shell.
import { afterAll, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitCommand } from '../../../src/detect/external/split-command.ts';
import { loadDetectorsFile, parseDetectorFlag } from '../../../src/detect/external/load-specs.ts';
import { chooseDetectorArgs } from '../../../src/detect/external/choose.ts';
import { UserError } from '../../../src/errors.ts';
import { tempDir } from '../../helpers/tools.ts';

const tmp = tempDir('external-specs');
afterAll(() => tmp.remove());

function file(name: string, text: string): string {
  const path = join(tmp.path, name);
  writeFileSync(path, text);
  return path;
}

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

test.each([
  ['p0f -r {pcap} -o {out}', ['p0f', '-r', '{pcap}', '-o', '{out}']],
  [`python3 -c 'print("a b")' {out}`, ['python3', '-c', 'print("a b")', '{out}']],
  ['a "b \\" c" d\\ e', ['a', 'b " c', 'd e']],
  ["x ''", ['x', '']],
  ['  spaced   out  ', ['spaced', 'out']],
])('splitCommand(%j)', (text, argv) => {
  expect(splitCommand(text)).toEqual(argv);
});

test('an unclosed quote is an error, not a guess', () => {
  expect(splitCommand("a 'b")).toEqual({ error: "unclosed ' at character 3" });
});

describe('--detector NAME=COMMAND', () => {
  test('a name and argv, format detected, the default timeout', () => {
    expect(parseDetectorFlag('mine=sh -c "exit 0" {out}', new Set())).toMatchObject({ name: 'mine', command: ['sh', '-c', 'exit 0', '{out}'], format: 'auto', timeoutSeconds: 300 });
  });
  test.each([
    ['=sh', 'expected NAME=COMMAND'],
    ['x=', 'the command is empty'],
    ['x=cat {capture}', 'unknown placeholder {capture}'],
    ['threshold=true', 'the name "threshold" is taken'],
  ])('%j is refused', (flag, text) => {
    expect(message(() => chooseDetectorArgs(undefined, [flag], false))).toContain(text);
  });
});

describe('--detectors FILE', () => {
  test('a YAML list; relative script paths resolved against the file; train as a command', () => {
    file('model.py', '');
    const path = file('d.yaml', `- name: suricata\n  command: [suricata, -r, "{pcap}", -l, "{outdir}"]\n  format: suricata-eve\n  timeout: 60\n- name: model\n  command: python3 model.py judge {pcap} {dir}/m {out}\n  train: python3 model.py fit {train} {dir}/m\n  tolerance: 0.5\n`);
    const specs = loadDetectorsFile(path, new Set());
    expect(specs[0]).toMatchObject({ name: 'suricata', command: ['suricata', '-r', '{pcap}', '-l', '{outdir}'], format: 'suricata-eve', timeoutSeconds: 60, train: false });
    expect(specs[1]).toMatchObject({ command: ['python3', join(tmp.path, 'model.py'), 'judge', '{pcap}', '{dir}/m', '{out}'], trainCommand: ['python3', join(tmp.path, 'model.py'), 'fit', '{train}', '{dir}/m'], train: true, toleranceSeconds: 0.5, format: 'auto' });
  });

  test('a detectors: key works too, and names given before are taken', () => {
    const path = file('k.yaml', 'detectors:\n  - name: a\n    command: "true"\n');
    expect(loadDetectorsFile(path, new Set()).map((s) => s.name)).toEqual(['a']);
    expect(message(() => loadDetectorsFile(path, new Set(['a'])))).toContain(`${path}:2: detector a: the name "a" is taken`);
  });

  test.each([
    ['- name: a\n  command: x\n  timeout: soon\n', ':3: 0.timeout:'],
    ['- name: a\n  command: x\n  colour: red\n', ':1: 0:'],
    ['- name: a\n  command: x\n  format: snort\n', 'unknown format "snort"'],
    ['- name: a b\n  command: x\n', ':1: 0.name: a name of letters'],
    ['- name: a\n  command: [\n', 'not valid YAML'],
    ['- name: a\n  command: cat {pcapng}\n', 'unknown placeholder {pcapng}'],
  ])('a bad file names the line and field: %j', (text, expected) => {
    expect(message(() => loadDetectorsFile(file('bad.yaml', text), new Set()))).toContain(expected);
  });

  test('--detectors mixes names and files; names alone pick only those built-ins', () => {
    const path = file('one.yaml', '- name: one\n  command: "true"\n');
    expect(chooseDetectorArgs(['threshold,trw', path], undefined, false)).toMatchObject({ names: ['threshold', 'trw'], external: [{ name: 'one' }] });
    expect(chooseDetectorArgs([path], undefined, false).names).toBeUndefined();
    expect(message(() => chooseDetectorArgs(['nope'], undefined, false))).toContain('unknown detector "nope"');
  });
});
