// `scanlab` with no command opens the TUI on a terminal; its own flags (--seed, --out) are checked
// first, and without a terminal they get a clear error instead of a silent help text.
import { describe, expect, test } from 'vitest';
import { main, HELP, commandHelp } from '../../src/cli.ts';
import { RUN_USAGE } from '../../src/commands/run.ts';
import { USAGE as ANONYMIZE_USAGE } from '../../src/commands/anonymize.ts';
import { USAGE as DATASET_USAGE } from '../../src/commands/dataset.ts';
import { USAGE as VERIFY_USAGE } from '../../src/commands/verify-anon.ts';
import { USAGE as DOCTOR_USAGE } from '../../src/commands/doctor.ts';
import { captureIO } from '../helpers/io.ts';

async function cli(...argv: string[]) {
  const captured = captureIO();
  const code = await main(argv, captured.io);
  return { code, stdout: captured.out(), stderr: captured.err() };
}

describe('scanlab (the TUI) on the command line, without a terminal', () => {
  test('no arguments print the help, exit 0', async () => {
    const r = await cli();
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${HELP}\n`);
    expect(HELP).toContain('scanlab [--seed N] [--out DIR]');
  });

  test.each([
    [['--seed', 'x'], /--seed expects a whole number >= 0, got "x"/],
    [['--seed', '-1'], /--seed/],
    [['--colour'], /scanlab: Unknown option '--colour'/],
    [['--seed', '7', 'extra'], /scanlab: unexpected "extra"/],
  ])('%j is refused with exit 2, naming the value', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('usage: scanlab [--seed N] [--out DIR]');
  });

  test('good flags without a terminal say the TUI needs one and how to run without it', async () => {
    const r = await cli('--seed', '7', '--out', '/tmp/runs');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the TUI needs a terminal/);
    expect(r.stderr).toContain('scanlab run <scenario.yaml> [--seed N] [--out DIR]');
  });
});

describe('scanlab COMMAND --help', () => {
  test.each([['run'], ['analyze'], ['anonymize'], ['verify-anon'], ['dataset'], ['lab'], ['doctor']])('%s --help prints its usage lines, exit 0, and runs nothing', async (name) => {
    const r = await cli(name, '--help');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith(`scanlab ${name} `)).toBe(true);
    expect(r.stdout).toBe(`${commandHelp(name)}\nREADME.md, "Commands", says what each option does.\n`);
  });

  test('-h after other arguments is help too', async () => {
    const r = await cli('run', 'scenarios/none.yaml', '-h');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scanlab run <scenario.yaml>');
  });

  test.each([
    ['run', RUN_USAGE],
    ['anonymize', ANONYMIZE_USAGE],
    ['dataset', DATASET_USAGE],
    ['verify-anon', VERIFY_USAGE],
    ['doctor', DOCTOR_USAGE],
  ])('the help of %s names every flag the command accepts', (name, usage) => {
    for (const flag of usage.match(/--[a-z0-9-]+/g)!) expect(commandHelp(name)).toContain(flag);
  });
});
