// One round trip per alert format: scanlab's own ground truth for a synthetic lab capture (its
// labels.csv, with each packet's time and addresses read by tshark, not by scanlab's decoder) is
// written as that format's file, a real program (cp) hands it over as its alerts, and scanlab reads,
// matches and scores it. A per-packet file must score perfectly; per-event, per-flow and host-level
// files flag what their matching rule says (computed here from tshark's fields), and every figure
// equals scikit-learn's on those decisions. Suricata and Zeek are not installable here (Debian 12):
// their files are written to their documented formats (see formats.test.ts).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSyntheticLab, ATTACKER } from '../../fixtures/synthetic-lab.ts';
import { decodeCapture, type DecodedCapture } from '../../../src/capture/decode/decode-capture.ts';
import { readLabelsCsv } from '../../../src/analysis/labels.ts';
import { detectCapture, type DetectorResult } from '../../../src/analysis/detect-capture.ts';
import { NO_TRAINING } from '../../../src/detect/detector.ts';
import { runExternalDetector } from '../../../src/detect/external/run-external.ts';
import type { ExternalDetectorSpec } from '../../../src/detect/external/spec.ts';
import { hasTshark, run, tempDir } from '../../helpers/tools.ts';
import { hasSklearn, runPython } from '../../score/sklearn-oracle.ts';

interface Frame { no: number; time: string; src: string; dst: string; sport: string; dport: string; proto: string; scan: boolean }

const tmp = tempDir('external-round-trip');
const runDir = join(tmp.path, 'run');
let frames: Frame[] = [];
let decoded: DecodedCapture;
let truth: ReturnType<typeof readLabelsCsv>;

beforeAll(() => {
  mkdirSync(runDir);
  writeSyntheticLab(join(runDir, 'capture.pcap'), { labelsPath: join(runDir, 'labels.csv'), seconds: 20, scanStart: 5, seed: 11 });
  decoded = decodeCapture(join(runDir, 'capture.pcap'));
  truth = readLabelsCsv(join(runDir, 'labels.csv'), decoded.packets);
  if (!hasTshark) return;
  const fields = ['frame.number', 'frame.time_epoch', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport', 'ip.proto'];
  const text = run('tshark', ['-r', join(runDir, 'capture.pcap'), '-T', 'fields', '-E', 'occurrence=f', '-E', 'separator=\t', ...fields.flatMap((f) => ['-e', f])]);
  const labels = readFileSync(join(runDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1] === 'scan');
  frames = text.trimEnd().split('\n').map((line) => {
    const [no, time, s4, d4, s6, d6, ts, td, us, ud, proto] = line.split('\t');
    // An ICMP error quotes the probe's header: tshark's first tcp/udp port is the quoted one, not this packet's.
    const transport = proto === '6' || proto === '17';
    return { no: Number(no), time, src: s4 || s6, dst: d4 || d6, sport: transport ? ts || us : '', dport: transport ? td || ud : '', proto: proto === '6' ? 'TCP' : proto === '17' ? 'UDP' : proto === '1' ? 'ICMP' : '', scan: labels[Number(no) - 1] };
  });
});
afterAll(() => tmp.remove());

/** The alerts file handed over by a real program, read and scored as any detector is. */
async function scoreFile(name: string, files: Record<string, string>, format: string): Promise<DetectorResult> {
  const source = join(tmp.path, name);
  mkdirSync(source);
  const argv: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    writeFileSync(join(source, file), text);
    argv.push(join(source, file));
  }
  // cp FILE... {outdir}: as Suricata and Zeek write their logs into a folder.
  const spec: ExternalDetectorSpec = { name, command: ['cp', ...argv, '{outdir}'], format, timeoutSeconds: 60, description: name };
  const outcome = await runExternalDetector(spec, { decoded, pcapPath: join(runDir, 'capture.pcap'), training: NO_TRAINING });
  expect(outcome.failure).toBeNull();
  return detectCapture(decoded, truth, { detectors: [], training: NO_TRAINING, seed: 1, external: [outcome] }).results[name];
}

/** scikit-learn's figures for decisions and scores against the labels. */
function sklearn(flags: number[], scores: number[]) {
  return runPython<{ precision: number; recall: number; f1: number; rocAuc: number; prAuc: number }>(String.raw`
import json, sys
from sklearn import metrics as M
d = json.load(sys.stdin)
y, f, s = d['y'], d['f'], d['s']
print(json.dumps(dict(precision=M.precision_score(y, f, zero_division=0), recall=M.recall_score(y, f, zero_division=0), f1=M.f1_score(y, f, zero_division=0),
                      rocAuc=M.roc_auc_score(y, s), prAuc=M.average_precision_score(y, s))))`, { y: [...truth.labels], f: flags, s: scores });
}

function expectScores(result: DetectorResult, flags: number[]) {
  const expected = sklearn(flags, flags);
  for (const key of ['precision', 'recall', 'f1', 'rocAuc', 'prAuc'] as const) expect(result.packets![key], key).toBeCloseTo(expected[key], 12);
  expect(result.flaggedPackets).toBe(flags.reduce((a, b) => a + b, 0));
}

describe.runIf(hasTshark && hasSklearn)('ground truth written as each format scores as its matching rule says', () => {
  test('scanlab-csv per packet (no,score,flagged): perfect', async () => {
    const csv = `no,score,flagged\n${frames.map((f) => `${f.no},${f.scan ? 1 : 0},${f.scan ? 1 : 0}`).join('\n')}\n`;
    const r = await scoreFile('csv-packets', { 'alerts.csv': csv }, 'scanlab-csv');
    expect(r.packets).toMatchObject({ precision: 1, recall: 1, f1: 1, rocAuc: 1, prAuc: 1 });
    expect(r.hosts).toEqual({ detected: [ATTACKER], missed: [], falselyFlagged: [] });
  });

  test('scanlab-csv per event (time,src,dst,sport,dport,proto): every scan IP packet, nothing else', async () => {
    const ip = frames.filter((f) => f.scan && f.src);
    const csv = `time,src,dst,sport,dport,proto\n${ip.map((f) => `${f.time},${f.src},${f.dst},${f.sport},${f.dport},${f.proto}`).join('\n')}\n`;
    const r = await scoreFile('csv-events', { 'alerts.csv': csv }, 'auto');
    const flags: number[] = frames.map((f) => (f.scan && f.src ? 1 : 0));
    expect(flags.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    expectScores(r, flags);
    expect(r.hosts!.detected).toEqual([ATTACKER]);
  });

  test('Suricata EVE with pcap_cnt: perfect; a folder with other logs reads only eve.json', async () => {
    const eve = frames.filter((f) => f.scan).map((f) => JSON.stringify({ timestamp: eveTime(f.time), flow_id: 1, pcap_cnt: f.no, event_type: 'alert', src_ip: f.src, dest_ip: f.dst, proto: f.proto, alert: { signature: 'ground truth', severity: 1 } }));
    const r = await scoreFile('eve-pcap-cnt', { 'eve.json': `${eve.join('\n')}\n`, 'fast.log': 'not eve\n', 'stats.log': 'x\n' }, 'suricata-eve');
    expect(r.packets).toMatchObject({ precision: 1, recall: 1, f1: 1, rocAuc: 1, prAuc: 1 });
  });

  test('Suricata EVE without pcap_cnt: flow_id ties alerts to their flow (5-tuple, both directions, first to last alert)', async () => {
    // One alert per flow at its first scan packet and one at its last, none between.
    const flows = new Map<string, Frame[]>();
    for (const f of frames) {
      if (!f.scan || !f.src) continue;
      const key = [f.proto, ...[`${f.src}|${f.sport}`, `${f.dst}|${f.dport}`].sort()].join(' ');
      flows.set(key, [...(flows.get(key) ?? []), f]);
    }
    const lines: string[] = [];
    let id = 2 ** 53;
    for (const fs of flows.values()) {
      id += 2;
      for (const f of new Set([fs[0], fs[fs.length - 1]])) lines.push(`{"timestamp":"${eveTime(f.time)}","flow_id":${BigInt(id) + 1n},"event_type":"alert","src_ip":"${f.src}","src_port":${f.sport || 0},"dest_ip":"${f.dst}","dest_port":${f.dport || 0},"proto":"${f.proto}","alert":{"signature":"x","severity":2}}`.replace(/"(src|dest)_port":0,/g, ''));
    }
    const r = await scoreFile('eve-flows', { 'eve.json': `${lines.join('\n')}\n` }, 'auto');
    // Every scan packet with an IP header lies in its flow between that flow's first and last alert.
    expectScores(r, frames.map((f) => (f.scan && f.src ? 1 : 0)));
  });

  test('Zeek notice.log: a host-level Scan::Port_Scan flags every packet of the host from the notice on (derived)', async () => {
    const attack = frames.filter((f) => f.src === ATTACKER);
    const at = attack[Math.floor(attack.length / 3)].time;
    const notice = ['#separator \\x09', '#path\tnotice', '#fields\tts\tnote\tmsg\tsrc\tdst', '#types\ttime\tenum\tstring\taddr\taddr', `${at}\tScan::Port_Scan\tscanned\t${ATTACKER}\t198.18.0.10`, '#close\tx'].join('\n');
    const r = await scoreFile('zeek', { 'notice.log': `${notice}\n`, 'conn.log': '#fields\tts\n' }, 'zeek-notice');
    // tolerance 10 µs; tshark's times and the notice's are the same text
    const flags = frames.map((f) => ((f.src === ATTACKER || f.dst === ATTACKER) && Number(f.time) >= Number(at) - 1e-5 ? 1 : 0));
    expectScores(r, flags);
    expect(r.hosts).toEqual({ detected: [ATTACKER], missed: [], falselyFlagged: [] });
    expect(r.notes.join(' ')).toContain('derived');
  });
});

/** tshark's epoch seconds as EVE writes them (UTC, microseconds, +0000). */
function eveTime(epoch: string): string {
  const [whole, frac = ''] = epoch.split('.');
  return `${new Date(Number(whole) * 1000).toISOString().slice(0, 19)}.${frac.padEnd(6, '0').slice(0, 6)}+0000`;
}
