// p0f and the example model of examples/ for real, on one real lab run: scanlab runs
// test/detect/external/fixtures/p0f-lab.yaml (an 8 s warm-up, then a SYN scan and an OS
// detection while a client uses the victim's web, SSH and DNS). Then:
// - p0f reads the run's capture.pcap as the built-in p0f detector runs it (its argv, placeholders
//   filled in) in a time zone with a half-hour offset. Its alerts must name the attacker and no
//   benign host, each at a packet scanlab's exact labels call scan.
// - examples/novelty_detector.py runs as examples/detectors.yaml says, trained on the warm-up
//   (cut by editcap at the run's attackFreeUntil), and must write a valid scanlab-csv: one line
//   per frame, in order, finite scores, flags 0/1; scored with scikit-learn against labels.csv.
// The lab must be gone after.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExternalAlert } from '../../src/detect/external/alert.ts';
import { readP0fLog } from '../../src/detect/external/formats/p0f.ts';
import { P0F_DETECTOR } from '../../src/detect/external/p0f-detector.ts';
import { CLI, PROJECT_ROOT, canRunLab, runCliSync, scanlabNamespaces, tempDir } from '../helpers/env.ts';
import { runPython } from '../score/sklearn-oracle.ts';

const SCENARIO = join(PROJECT_ROOT, 'test/detect/external/fixtures/p0f-lab.yaml');
/** UTC+10:30 in December: a whole-hour mistake and a half-hour one would both show. */
const ZONE = 'Australia/Adelaide';

describe.runIf(canRunLab)('p0f and the example model on a real lab capture', () => {
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

  describe('examples/novelty_detector.py as examples/detectors.yaml runs it', () => {
    const EXAMPLES = join(PROJECT_ROOT, 'examples');
    const entries: { name: string; command: string; format: string; train: boolean }[] = parseYaml(readFileSync(join(EXAMPLES, 'detectors.yaml'), 'utf8'));
    let train: string;
    let packets: number;
    let trainPackets: number;
    let labels: string[];

    /** The entry's command with the script found beside the YAML and the placeholders filled in. */
    const runEntry = (name: string, values: Record<string, string>) => {
      const entry = entries.find((e) => e.name === name)!;
      expect(entry.format).toBe('scanlab-csv');
      expect(entry.train).toBe(true);
      const argv = entry.command.split(' ').map((arg) => (arg.endsWith('.py') ? join(EXAMPLES, arg) : arg.replace(/\{(\w+)\}/g, (_, p: string) => values[p])));
      return spawnSync(argv[0], argv.slice(1), { cwd: out, encoding: 'utf8', timeout: 120_000 });
    };

    beforeAll(() => {
      // The training part as scanlab hands it over: the capture before the first attack step.
      const until = JSON.parse(readFileSync(join(runDir, 'capture.json'), 'utf8')).attackFreeUntil as string;
      train = join(out, 'train.pcap');
      execFileSync('editcap', ['-F', 'pcap', '-B', until.replace('T', ' ').replace('Z', ''), join(runDir, 'capture.pcap'), train], { env: { ...process.env, TZ: 'UTC' }, stdio: 'ignore' });
      const count = (pcap: string) => execFileSync('tshark', ['-r', pcap, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').length;
      packets = count(join(runDir, 'capture.pcap'));
      trainPackets = count(train);
      labels = readFileSync(join(runDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1]);
    }, 60_000);

    test.each(['my-lof', 'my-iforest'])('%s writes scanlab-csv: header, one line per frame in order, finite scores, flags 0/1', (name) => {
      const csv = join(out, `${name}.csv`);
      const result = runEntry(name, { train, pcap: join(runDir, 'capture.pcap'), out: csv });
      expect(result.status, result.stderr).toBe(0);
      const [header, ...rows] = readFileSync(csv, 'utf8').trimEnd().split('\n');
      expect(header).toBe('no,score,flagged');
      expect(rows).toHaveLength(packets);
      rows.forEach((row, i) => {
        const [no, score, flagged] = row.split(',');
        expect(Number(no)).toBe(i + 1);
        expect(Number.isFinite(Number(score)), row).toBe(true);
        expect(['0', '1']).toContain(flagged);
      });
    });

    test('my-lof, judged after its training part, finds the scan (scikit-learn\'s F1 on its flags and labels.csv)', () => {
      const rows = readFileSync(join(out, 'my-lof.csv'), 'utf8').trimEnd().split('\n').slice(1).map((r) => r.split(','));
      const judged = rows.slice(trainPackets);
      const metrics = runPython<{ f1: number; benignFlagged: number }>(
        'import json,sys\nfrom sklearn.metrics import f1_score\nd=json.load(sys.stdin)\ny=[1 if l=="scan" else 0 for l in d["labels"]]\nprint(json.dumps({"f1":f1_score(y,d["flags"]),"benignFlagged":sum(f for f,t in zip(d["flags"],y) if t==0)/max(1,y.count(0))}))',
        { labels: labels.slice(trainPackets), flags: judged.map((r) => Number(r[2])) },
      );
      // On 12 lab runs here its F1 was 0.88-0.99 and 0-13 % of benign packets were flagged (a fixed
      // threshold from a short warm-up). Before LOF was fitted on distinct rows, 5 of those 12 runs
      // flagged 48-79 % of benign packets (F1 0.55-0.67): these bounds fail that model, and one that
      // misses the scan or flags at random, not the example's run-to-run spread. The benign bound
      // matters on its own: the scan is a third of the capture, so flagging everything has F1 0.5.
      expect(metrics.f1).toBeGreaterThan(0.75);
      expect(metrics.benignFlagged).toBeLessThan(0.2);
    });

    test('a training part too small to learn from is a clear error (exit 2), not a file of guesses', () => {
      const tiny = join(out, 'tiny-train.pcap');
      execFileSync('editcap', ['-r', train, tiny, '1-10'], { stdio: 'ignore' });
      const result = runEntry('my-lof', { train: tiny, pcap: join(runDir, 'capture.pcap'), out: join(out, 'none.csv') });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/tiny-train\.pcap has 10 packets; at least 50 are needed/);
    });
  });

  test('the run removed its lab', () => {
    expect(labId).toMatch(/^sl[0-9a-f]{6}$/);
    expect(scanlabNamespaces(labId)).toEqual([]);
  });
});
