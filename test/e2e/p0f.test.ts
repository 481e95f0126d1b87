// p0f for real against a real lab run: scanlab runs test/detect/external/fixtures/p0f-lab.yaml
// (a SYN scan and an OS detection while a client uses the victim's web, SSH and DNS), then p0f
// reads the run's capture.pcap as the built-in p0f detector runs it (its argv, placeholders
// filled in) in a time zone with a half-hour offset. Its alerts must name the attacker and no
// benign host, each at a packet scanlab's exact labels call scan. The lab must be gone after.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExternalAlert } from '../../src/detect/external/alert.ts';
import { readP0fLog } from '../../src/detect/external/formats/p0f.ts';
import { P0F_DETECTOR } from '../../src/detect/external/p0f-detector.ts';
import { CLI, PROJECT_ROOT, canRunLab, runCliSync, scanlabNamespaces, tempDir } from '../helpers/env.ts';

const SCENARIO = join(PROJECT_ROOT, 'test/detect/external/fixtures/p0f-lab.yaml');
/** UTC+10:30 in December: a whole-hour mistake and a half-hour one would both show. */
const ZONE = 'Australia/Adelaide';

describe.runIf(canRunLab)('p0f on a real lab capture', () => {
  let out: string;
  let runDir: string;
  let labId: string | undefined;
  let hosts: Map<string, string>;
  let alerts: ExternalAlert[];
  let savedTz: string | undefined;

  beforeAll(() => {
    out = tempDir('p0f');
    const run = runCliSync(['run', SCENARIO, '--json', '--out', join(out, 'runs')], { timeoutMs: 150_000 });
    const events = (dir: string) => readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    runDir = JSON.parse(run.stdout.trim().split('\n').pop()!).runDir;
    labId = events(runDir).find((e) => e.type === 'phase-started' && e.phase === 'lab-up')?.detail?.match(/lab (\S+)/)?.[1];
    expect(run.code, run.stderr).toBe(0);
    // The resolved scenario's header lists each host's address.
    hosts = new Map([...readFileSync(join(runDir, 'scenario.yaml'), 'utf8').matchAll(/^#\s+(\w+)\s+(\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => [m[1], m[2]]));

    // When p0f runs as the built-in detector runs it, in a non-UTC zone
    const logPath = join(out, 'p0f.log');
    const fill = (arg: string) => arg.replace('{pcap}', join(runDir, 'capture.pcap')).replace('{out}', logPath);
    const [program, ...args] = P0F_DETECTOR.command.map(fill);
    execFileSync(program, args, { cwd: out, env: { ...process.env, TZ: ZONE }, stdio: 'ignore', timeout: P0F_DETECTOR.timeoutSeconds * 1000 });
    savedTz = process.env.TZ;
    process.env.TZ = ZONE;
    alerts = readP0fLog(readFileSync(logPath, 'utf8'), 'p0f.log');
  }, 180_000);

  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
    if (labId && scanlabNamespaces(labId).length > 0) execFileSync(process.execPath, [CLI, 'lab', 'down', labId], { cwd: PROJECT_ROOT });
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test('p0f names the attacker, by both Nmap fingerprints, and neither the victim nor the client', () => {
    expect(hosts.get('attacker')).toMatch(/^198\.18\./);
    expect(new Set(alerts.map((a) => a.src))).toEqual(new Set([hosts.get('attacker')]));
    expect(new Set(alerts.map((a) => a.what))).toEqual(new Set(['NMap SYN scan', 'NMap OS detection']));
  });

  test('each alert is at a SYN that scanlab labels scan, within its attack step\'s time', () => {
    const tshark = execFileSync('tshark', ['-r', join(runDir, 'capture.pcap'), '-Y', 'tcp.flags.syn==1 && tcp.flags.ack==0', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'ip.src', '-e', 'tcp.srcport', '-e', 'ip.dst', '-e', 'tcp.dstport'], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] });
    const syns = tshark.trim().split('\n').map((l) => l.split('\t'));
    const labels = new Map(readFileSync(join(runDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).map(([no, label, step]) => [Number(no), { label, step }]));
    const steps = JSON.parse(readFileSync(join(runDir, 'capture.json'), 'utf8')).steps.map((s: any) => ({ name: s.name, from: Date.parse(s.startedAt) / 1000, to: Date.parse(s.endedAt) / 1000 }));
    for (const a of alerts) {
      const frames = syns.filter(([, time, src, sport, dst, dport]) => src === a.src && Number(sport) === a.sport && dst === a.dst && Number(dport) === a.dport && Math.floor(Number(time)) === a.time);
      expect(frames.length, `${a.where}: no SYN ${a.src}/${a.sport} -> ${a.dst}/${a.dport} in second ${a.time}`).toBeGreaterThan(0);
      for (const [no] of frames) expect(labels.get(Number(no))?.label, `${a.where}: frame ${no}`).toBe('scan');
      const step = steps.find((s: any) => a.time! + a.timeTolerance! >= s.from && a.time! <= s.to);
      expect(step, `${a.where} at ${a.time}`).toBeDefined();
    }
  });

  test('the run removed its lab', () => {
    expect(labId).toMatch(/^sl[0-9a-f]{6}$/);
    expect(scanlabNamespaces(labId)).toEqual([]);
  });
});
