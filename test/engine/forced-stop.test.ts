// A teardown that waits for something that never comes (here: the capture agent is frozen with
// SIGSTOP, so it cannot answer the stop) still ends within the grace period: the watchdog forces
// the exit, and even then the pcap is valid and the lab is gone.
import { spawn, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { waitFor, readEvents } from '../helpers/run-events.ts';
import { canRunLab, CLI, PROJECT_ROOT, scanlabNamespaces, tcpdumpCount, tempDir } from '../helpers/env.ts';

describe.runIf(canRunLab)('a stop that would wait forever', () => {
  test('SIGTERM with a frozen capture agent: forced exit after the grace, valid pcap, no lab left', async () => {
    // Given a run in the middle of a scan whose capture agent is frozen
    const out = tempDir('forced-stop');
    const child = spawn(process.execPath, [CLI, 'run', join(PROJECT_ROOT, 'test/fixtures/scenarios/slow.yaml'), '--no-tui', '--out', out], {
      cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SCANLAB_STOP_GRACE_MS: '2000' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => (readEvents(out).some((e) => e.type === 'attack-started') ? true : undefined), 90_000);
    await new Promise((r) => setTimeout(r, 1000));
    const labId = readEvents(out).find((e) => e.type === 'phase-started' && e.phase === 'lab-up')!.detail.split(' ')[1];
    const runDir = join(out, readdirSync(out)[0]);
    const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
    const agentPid = Number(ps.find((l) => l.includes('capture/agent.ts') && l.includes(join(runDir, 'capture.pcap')))!.trim().split(' ')[0]);
    process.kill(agentPid, 'SIGSTOP');

    // When the user stops the run
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await exited;
    clearTimeout(timeout);

    // Then the watchdog ended it, and still kept the promise
    expect(code, output).toBe(1);
    expect(output).toMatch(/still stopping 2 s after SIGTERM: forced exit/);
    const packets = tcpdumpCount(join(runDir, 'capture.pcap'));
    expect(packets).toBeGreaterThan(0);
    expect(scanlabNamespaces(labId)).toEqual([]);
    const after = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
    expect(after).not.toContain(labId);
    expect(after).not.toContain(runDir);
  });
});
