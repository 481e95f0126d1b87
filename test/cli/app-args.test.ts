// `scanlab` with no command opens the TUI on a terminal; its own flags (--seed, --out) are checked
// first, and without a terminal they get a clear error instead of a silent help text.
import { describe, expect, test } from 'vitest';
import { main, HELP } from '../../src/cli.ts';
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
