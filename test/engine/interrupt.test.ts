// Ctrl-C in the middle of a scan: the pcap so far stays valid, the lab and every process scanlab
// started are gone, and the run directory says the run was interrupted.

import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { waitFor, readEvents } from '../helpers/run-events.ts';
import { canRunLab, CLI, PROJECT_ROOT, scanlabNamespaces, tcpdumpCount, tempDir } from '../helpers/env.ts';

describe.runIf(canRunLab)('interrupting a run', () => {
  test.each([['SIGINT'], ['SIGTERM']] as const)('%s during a scan leaves a valid pcap and a clean machine', async (signal) => {
    // Given a run in the middle of a slow scan
    const out = tempDir('interrupt');
    const child = spawn(process.execPath, [CLI, 'run', join(PROJECT_ROOT, 'test/fixtures/scenarios/slow.yaml'), '--no-tui', '--out', out], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => (readEvents(out).some((e) => e.type === 'attack-progress' || e.type === 'attack-started') ? true : undefined), 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    const events = readEvents(out);
    const labId = events.find((e) => e.type === 'phase-started' && e.phase === 'lab-up')!.detail.split(' ')[1];
    expect(scanlabNamespaces(labId).length).toBeGreaterThan(0);

    // When the user stops it
    child.kill(signal);
    const code = await exited;

    // Then it says so and exits 1
    expect(code, output).toBe(1);
    expect(output).toMatch(/run interrupted/);
    const runDir = join(out, readdirSync(out)[0]);
    const capture = JSON.parse(readFileSync(join(runDir, 'capture.json'), 'utf8'));
    expect(capture.status).toBe('interrupted');
    expect(capture.steps[0].status).toBe('interrupted');
    // The pcap so far is valid: tcpdump reads it whole and labels cover every packet
    const packets = tcpdumpCount(join(runDir, 'capture.pcap'));
    expect(packets).toBeGreaterThan(0);
    expect(packets).toBe(capture.packets);
    expect(readFileSync(join(runDir, 'labels.csv'), 'utf8').trim().split('\n').length - 1).toBe(packets);
    // The lab and every process of the run are gone
    expect(scanlabNamespaces(labId)).toEqual([]);
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps).not.toContain(runDir);
    expect(ps).not.toContain(labId);
    const last = readEvents(out).at(-1)!;
    expect(last.type).toBe('result');
    expect(last.summary.status).toBe('interrupted');
  });
});
