// A detector program that fails never fails the analysis: exit 1, a hang (killed at its timeout
// with everything it started), garbage output, no output at all, a missing program: each is a
// failure of that detector on that capture, with the reason and its stderr tail, and its scratch
// folder {dir} is gone afterwards. Real processes throughout (sh, sleep, node).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSyntheticLab } from '../../fixtures/synthetic-lab.ts';
import { decodeCapture, type DecodedCapture } from '../../../src/capture/decode/decode-capture.ts';
import { NO_TRAINING, type TrainingPart } from '../../../src/detect/detector.ts';
import { runExternalDetector, type ExternalOutcome } from '../../../src/detect/external/run-external.ts';
import type { ExternalDetectorSpec } from '../../../src/detect/external/spec.ts';
import { evaluateRunWithExternal } from '../../../src/bench/evaluate-run.ts';
import { chooseDetectors } from '../../../src/bench/detectors.ts';
import { resolveRunInput } from '../../../src/bench/run-input.ts';
import { aggregate } from '../../../src/bench/aggregate.ts';
import { formatLeaderboard } from '../../../src/bench/format-leaderboard.ts';
import { benchCsv } from '../../../src/bench/bench-csv.ts';
import { tempDir } from '../../helpers/tools.ts';

const tmp = tempDir('external-failures');
const runDir = join(tmp.path, 'run');
let decoded: DecodedCapture;

beforeAll(() => {
  mkdirSync(runDir);
  writeSyntheticLab(join(runDir, 'capture.pcap'), { labelsPath: join(runDir, 'labels.csv'), seconds: 8, scanStart: 3, seed: 2 });
  decoded = decodeCapture(join(runDir, 'capture.pcap'));
});
afterAll(() => tmp.remove());

const spec = (name: string, command: string[], timeoutSeconds = 30, format = 'auto'): ExternalDetectorSpec => ({ name, command, format, timeoutSeconds, description: name });
/** sh -c SCRIPT with {dir} as $1 and a note file as $2, where the script records its {dir}. */
const sh = (name: string, script: string, timeoutSeconds = 30, format = 'auto') => spec(name, ['sh', '-c', `echo "$1" > "$2"; ${script}`, 'sh', '{dir}', join(tmp.path, `${name}.dir`)], timeoutSeconds, format);
const run = (s: ExternalDetectorSpec, training: TrainingPart = NO_TRAINING) => runExternalDetector(s, { decoded, pcapPath: join(runDir, 'capture.pcap'), training });
const dirOf = (name: string) => readFileSync(join(tmp.path, `${name}.dir`), 'utf8').trim();

/** True while the process exists and is not a zombie. */
function running(pid: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function expectFailed(o: ExternalOutcome, reason: string) {
  expect(o.detection).toBeNull();
  expect(o.failure?.reason).toContain(reason);
}

describe('a failing detector is a per-run failure with its reason, and {dir} is removed', () => {
  test('exit 1: the exit code and the end of its stderr', async () => {
    const o = await run(sh('exit1', 'echo "model file missing" >&2; exit 1'));
    expectFailed(o, 'exited with code 1');
    expect(o.failure).toMatchObject({ exitCode: 1, stderrTail: 'model file missing' });
    expect(existsSync(dirOf('exit1'))).toBe(false);
  });

  test('a hang: killed at its timeout, with the process it started in the background', async () => {
    const pids = join(tmp.path, 'hang.pids');
    const o = await run(sh('hang', `sleep 600 & echo $$ $! > ${pids}; wait`, 1));
    expectFailed(o, 'timed out after 1 s and was killed');
    expect(existsSync(dirOf('hang'))).toBe(false);
    // Both the shell and its background sleep are gone (or dead and waiting to be reaped by init).
    for (const pid of readFileSync(pids, 'utf8').trim().split(' ')) expect(running(pid), `pid ${pid}`).toBe(false);
  });

  test('garbage output: the file and what is wrong with it', async () => {
    const o = await run(sh('garbage', 'printf "no,score\\n1,1\\nbanana\\n" > {out}'.replace('{out}', '"$1/alerts"')));
    expectFailed(o, '{dir}/alerts line 3: expected 2 fields');
    const unknown = await run(sh('unknown', 'echo "hello world" > "$1/alerts"'));
    expectFailed(unknown, 'its format is none scanlab knows');
    expect(existsSync(dirOf('garbage'))).toBe(false);
  });

  test('no output at all, a packet beyond the capture, a missing program, no training part', async () => {
    expectFailed(await run(sh('silent', 'true')), 'it wrote no alerts');
    expectFailed(await run(sh('beyond', `printf "no,score\\n${decoded.packets + 1},1\\n" > "$1/alerts"`)), `packet ${decoded.packets + 1} is beyond the capture's ${decoded.packets} packets`);
    expectFailed(await run(spec('missing', ['scanlab-no-such-program', '{pcap}'])), 'could not be started');
    expectFailed(await run(spec('learner', ['cp', '{train}', '{out}'])), 'no attack-free training part');
  });

  test('an empty alerts file is a valid result: nothing flagged', async () => {
    const o = await run(sh('empty', ': > "$1/alerts"', 30, 'scanlab-csv'));
    expect(o.failure).toBeNull();
    expect(o.detection!.flagged.every((v) => v === 0)).toBe(true);
  });

  test('{train} is the training part as a pcap: the packets before --train-until', async () => {
    // A detector that counts its training packets with tshark-free means: the file size is header + records.
    const o = await run(spec('train-count', ['node', '-e', `const b=require('fs').readFileSync(process.argv[1]);let n=0;for(let o=24;o<b.length;o+=16+b.readUInt32LE(o+8))n++;require('fs').writeFileSync(process.argv[2],'no,score\\n1,'+n+'\\n')`, '{train}', '{out}']), { source: 'train-until', untilSeconds: 2, capture: null, capturePath: null });
    expect(o.failure).toBeNull();
    let before = 0;
    for (let i = 0; i < decoded.packets; i++) if (decoded.columns.time[i] < 2) before++;
    expect(o.detection!.scores![0]).toBe(before);
  });
});

test('the bench goes on: a failed detector is counted as failed beside the scored ones, never as zeros', async () => {
  const input = resolveRunInput(runDir);
  const ok = spec('echo-truth', ['sh', '-c', 'cp "$1" "$2"', 'sh', join(tmp.path, 'truth.csv'), '{out}'], 30, 'scanlab-csv');
  const labels = readFileSync(join(runDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  writeFileSync(join(tmp.path, 'truth.csv'), `no,score,flagged\n${labels.map(([no, label]) => `${no},${label === 'scan' ? 1 : 0},${label === 'scan' ? 1 : 0}`).join('\n')}\n`);
  const choice = chooseDetectors(['threshold'], ['host-window'], [ok, sh('crash', 'exit 3')]);
  const evaluation = await evaluateRunWithExternal(input, choice, 1);
  expect(evaluation.detectors['echo-truth'].packets!.f1).toBe(1);
  expect(evaluation.detectors.crash.failed?.reason).toContain('exited with code 3');
  expect(evaluation.detectors.crash.packets).toBeNull();
  expect(evaluation.warnings.join('\n')).toContain('detector crash failed');
  const board = aggregate([evaluation, evaluation]);
  const crash = board.cells.find((c) => c.detector === 'crash')!;
  expect(crash).toMatchObject({ kind: 'external', runs: 0, failedRuns: 2 });
  expect(board.cells.find((c) => c.detector === 'echo-truth')).toMatchObject({ kind: 'external', runs: 2, failedRuns: 0 });
  const text = formatLeaderboard(board);
  expect(text).toMatch(/–\s+crash \(failed 2\/2\)/);
  expect(text).toContain('crash (failed 2 runs)');
  expect(benchCsv(board.cells)).toMatch(/\n\w+,crash,external,0,.*,2\n/);
});
