// A lab left by a killed scanlab (its owner process gone) is named, with the commands that
// remove it, and is never removed unless asked. Uses a lab of its own under a fresh id and
// removes it by that id (never down --all: other labs on the machine may be in use).
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { canRunLab, CLI, PROJECT_ROOT, scanlabNamespaces } from '../helpers/env.ts';

const BUILDER = join(PROJECT_ROOT, 'test/fixtures/processes/lab-then-wait.ts');
let labId: string | undefined;

afterAll(() => {
  if (labId && scanlabNamespaces(labId).length > 0) spawnSync(process.execPath, [CLI, 'lab', 'down', labId], { cwd: PROJECT_ROOT });
});

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });

describe.runIf(canRunLab)('labs left by a killed scanlab', () => {
  test('are named with scanlab lab down --all, and stay until asked', async () => {
    // Given a lab whose owner process is still running: not reported as left
    const child = spawn(process.execPath, ['--import', 'tsx', BUILDER], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    labId = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => resolve(line.trim()));
      child.on('exit', (code) => reject(new Error(`lab builder exited ${code}`)));
    });
    expect(scanlabNamespaces(labId).length).toBeGreaterThan(0);
    const whileAlive = cli('lab', 'status');
    expect(whileAlive.stdout).toContain(labId);
    expect(whileAlive.stdout).not.toMatch(new RegExp(`${labId}[^\\n]*no longer running`));

    // When its owner is killed
    child.kill('SIGKILL');
    await exited;

    // Then status names it as left, with both commands, and removes nothing
    const status = cli('lab', 'status');
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`${labId}: \\d+ namespaces [^\\n]*left by a scanlab that is no longer running`));
    expect(status.stdout).toContain('scanlab lab down --all');
    expect(status.stdout).toContain(`scanlab lab down ${labId}`);
    expect(scanlabNamespaces(labId).length).toBeGreaterThan(0);

    // And it goes when asked, by its id
    const down = cli('lab', 'down', labId);
    expect(down.status, down.stderr).toBe(0);
    expect(scanlabNamespaces(labId)).toEqual([]);
  });
});
