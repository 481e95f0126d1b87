// Hardening (#12, part A), one describe per class, through the real binary (node bin/scanlab.js)
// as a child process with a timeout, on real files, real FIFOs and a really closed pipe. Every
// case asserts the exit code and the message; none may print "scanlab hit a bug".
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI, PROJECT_ROOT } from '../helpers/env.ts';
import { hasTshark, run, tempDir } from '../helpers/tools.ts';
import { formatError } from '../../src/errors.ts';
import { writeFolderAtomic } from '../../src/util/atomic-output.ts';
import { PcapWriter, LINKTYPE } from '../../src/capture/pcap-file.ts';
import { writeSyntheticLab, ATTACKER } from '../fixtures/synthetic-lab.ts';
import { arpFrame, macOf, tcpFrame, FLAGS } from '../fixtures/packet-builder.ts';

const tmp = tempDir('reliability');
afterAll(() => tmp.remove());
const runDir = join(tmp.path, 'run');
const pcap = join(runDir, 'capture.pcap');

beforeAll(() => {
  mkdirSync(runDir);
  writeSyntheticLab(pcap, { seconds: 20, scanStart: 3, seed: 5, labelsPath: join(runDir, 'labels.csv') });
});

interface CliResult { code: number | null; stdout: string; stderr: string }

/** The real binary; a hang shows as code null (killed by the timeout). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectUserError(r: CliResult, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/hit a bug|\n\s+at /);
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('class 1: environment errors are user errors', () => {
  test('--emit-rows naming an existing file is exit 2 naming it', () => {
    const file = join(tmp.path, 'rows-file');
    writeFileSync(file, 'mine\n');
    expectUserError(cli(['analyze', pcap, '--emit-rows', file]), new RegExp(`--emit-rows ${file} is a file, not a folder`));
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });

  test('a path through a file (ENOTDIR) is exit 2 naming it', () => {
    const file = join(tmp.path, 'plain');
    writeFileSync(file, 'x');
    expectUserError(cli(['analyze', pcap, '--emit-rows', join(file, 'rows')]), /is a file/);
  });

  test.each([
    ['EISDIR', () => openSync(tmp.path, 'w')],
    ['ENOENT', () => readFileSync(join(tmp.path, 'nope'))],
    ['EEXIST', () => mkdirSync(tmp.path)],
  ])('a real %s from node:fs is exit 2 with the path and a hint', (code, fail) => {
    let error: unknown;
    try {
      fail();
    } catch (e) {
      error = e;
    }
    const { text, exitCode } = formatError(error);
    expect(exitCode).toBe(2);
    expect(text).toContain(tmp.path);
    expect(text).toContain(code);
    expect(text).toMatch(/hint: /);
  });

  test('a closed stdout (verify-anon D --original O | head -0) ends quietly', async () => {
    const dataset = join(tmp.path, 'pipe-ds');
    expect(cli(['anonymize', pcap, '--out', dataset]).code).toBe(0);
    const child = spawn(process.execPath, [CLI, 'verify-anon', dataset, '--original', pcap], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first line
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toBe('');
  });
});

describe('class 2: nothing hangs', () => {
  test.each([
    ['analyze', (p: string) => ['analyze', p]],
    ['anonymize', (p: string) => ['anonymize', p, '--out', join(tmp.path, 'never')]],
    ['bench --runs', (p: string) => ['bench', '--runs', p, '--no-tui']],
    ['run (scenario)', (p: string) => ['run', p, '--no-tui']],
  ])('%s refuses a FIFO with no writer up front', (_name, args) => {
    const fifo = join(tmp.path, `fifo-${Math.random().toString(16).slice(2)}`);
    run('mkfifo', [fifo]);
    expectUserError(cli(args(fifo)), /is a FIFO \(named pipe\)/);
  });

  test.each([['/dev/zero'], ['/proc/self/status']])('analyze %s is refused as a kernel or device tree', (path) => {
    expectUserError(cli(['analyze', path]), /kernel or device tree/);
  });

  test('a FIFO as the run directory\'s capture.pcap is refused', () => {
    const dir = join(tmp.path, 'fifo-run');
    mkdirSync(dir);
    run('mkfifo', [join(dir, 'capture.pcap')]);
    copyFileSync(join(runDir, 'labels.csv'), join(dir, 'labels.csv'));
    expectUserError(cli(['analyze', dir]), /capture .*capture\.pcap is a FIFO/);
  });

  const STOPPER = join(PROJECT_ROOT, 'test/fixtures/processes/stop-hangs.ts');
  async function stopHanging(env: NodeJS.ProcessEnv, signals: NodeJS.Signals[]) {
    const marker = join(tmp.path, `marker-${signals.length}`);
    const child = spawn(process.execPath, ['--import', 'tsx', STOPPER, marker], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
    for (const s of signals) {
      child.kill(s);
      await new Promise((r) => setTimeout(r, 100));
    }
    const timeout = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timeout);
    return { code, stderr, marker };
  }

  test('SIGTERM ends a command whose teardown never ends: the watchdog forces the exit after the grace', async () => {
    const { code, stderr, marker } = await stopHanging({ SCANLAB_STOP_GRACE_MS: '500' }, ['SIGTERM']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/still stopping .* after SIGTERM: forced exit/);
    expect(stderr).toContain('the hanging teardown was cut short');
    expect(existsSync(marker)).toBe(true);
  });

  test('a second Ctrl-C forces the exit at once, even with a long grace', async () => {
    const { code, stderr, marker } = await stopHanging({ SCANLAB_STOP_GRACE_MS: '600000' }, ['SIGINT', 'SIGINT']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/SIGINT again: forced exit/);
    expect(existsSync(marker)).toBe(true);
  });
});

describe('class 4: --force never deletes what scanlab did not write', () => {
  test('anonymize d/cap.pcap --out d --force keeps cap.pcap', () => {
    const d = join(tmp.path, 'holds-input');
    mkdirSync(d);
    copyFileSync(pcap, join(d, 'cap.pcap'));
    const before = sha(join(d, 'cap.pcap'));
    expectUserError(cli(['anonymize', join(d, 'cap.pcap'), '--out', d, '--force']), /holds the input/);
    expect(readdirSync(d)).toEqual(['cap.pcap']);
    expect(sha(join(d, 'cap.pcap'))).toBe(before);
  });

  test('the run directory itself as --out is refused', () => {
    expectUserError(cli(['anonymize', runDir, '--out', runDir, '--force']), /holds the input/);
    expect(existsSync(pcap)).toBe(true);
  });

  test('a folder with other files is never replaced; a dataset scanlab wrote is', () => {
    const foreign = join(tmp.path, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'thesis.tex'), 'years of work');
    expectUserError(cli(['anonymize', pcap, '--out', foreign, '--force']), /holds files scanlab did not write \(thesis\.tex\).*even with --force/);
    expect(readFileSync(join(foreign, 'thesis.tex'), 'utf8')).toBe('years of work');

    const ds = join(tmp.path, 'ours');
    expect(cli(['anonymize', pcap, '--out', ds]).code).toBe(0);
    expectUserError(cli(['anonymize', pcap, '--out', ds]), /already exists.*\n.*--force/);
    const again = cli(['anonymize', pcap, '--out', ds, '--force', '--seed', '9']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(ds, 'manifest.json'), 'utf8')).seed).toBe(9);
  });
});

describe('class 8: no partial results that look whole', () => {
  test('a writer killed mid-folder leaves no folder, and its leftover is swept by the next write', async () => {
    const dir = join(tmp.path, 'half');
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'test/fixtures/processes/folder-half-written.ts'), dir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(existsSync(dir)).toBe(false);
    const leftovers = readdirSync(tmp.path).filter((n) => n.startsWith('.half.tmp-'));
    expect(leftovers.length).toBe(1);
    writeFolderAtomic(dir, { 'a.csv': 'x\n' });
    expect(readdirSync(dir)).toEqual(['a.csv']);
    expect(readdirSync(tmp.path).filter((n) => n.startsWith('.half.tmp-'))).toEqual([]);
  });

  test('--emit-rows into an existing folder adds every set\'s file and keeps the others', () => {
    const rows = join(tmp.path, 'rows');
    mkdirSync(rows);
    writeFileSync(join(rows, 'notes.txt'), 'keep me');
    const r = cli(['analyze', runDir, '--emit-rows', rows, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(rows).sort()).toEqual(['host-window.csv', 'kaggle-flow.csv', 'notes.txt', 'sds-window.csv']);
    expect(readFileSync(join(runDir, 'analysis.json'), 'utf8')).toBe(`${JSON.stringify(JSON.parse(r.stdout), null, 2)}\n`);
    expect(readdirSync(runDir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});

describe('class 9: consistent codes and true messages', () => {
  test('the same bad labels.csv is exit 2 in analyze, bench and anonymize', () => {
    const bad = join(tmp.path, 'bad-labels');
    mkdirSync(bad);
    copyFileSync(pcap, join(bad, 'capture.pcap'));
    const lines = readFileSync(join(runDir, 'labels.csv'), 'utf8').split('\n');
    lines[3] = lines[3].replace(/,(scan|benign),/, ',maybe,');
    writeFileSync(join(bad, 'labels.csv'), lines.join('\n'));
    const where = /labels\.csv:4: expected "<packet number>,scan\|benign,<step>"/;
    expectUserError(cli(['analyze', bad]), where);
    expectUserError(cli(['bench', '--runs', bad, '--no-tui', '--out', join(tmp.path, 'bench-out')]), where);
    expectUserError(cli(['anonymize', bad, '--out', join(tmp.path, 'bad-ds')]), where);
    expect(existsSync(join(tmp.path, 'bad-ds'))).toBe(false);
  });

  test('a gzip-compressed capture is named as gzip, with the command to unpack it', () => {
    const gz = join(tmp.path, 'capture.pcap.gz');
    writeFileSync(gz, gzipSync(readFileSync(pcap)));
    expectUserError(cli(['analyze', gz]), /is gzip-compressed.*\n\s+hint: unpack it first: gunzip -k/);
    expectUserError(cli(['anonymize', gz, '--out', join(tmp.path, 'gz-ds')]), /is gzip-compressed/);
  });

  test('IP fragments are not called headers cut short', () => {
    const path = join(tmp.path, 'fragments.pcap');
    const writer = new PcapWriter(path, { linkType: LINKTYPE.ETHERNET });
    for (let n = 0; n < 6; n++) {
      // nmap -f: the first fragment holds 8 bytes of the TCP header, the second the other 12.
      const whole = tcpFrame({ ip: ATTACKER, port: 40000 }, { ip: '198.18.0.10', port: 20 + n }, FLAGS.SYN, { id: 100 + n });
      const first = whole.slice(0, 14 + 20 + 8);
      first[16] = 0; first[17] = 28; // total length
      first[20] = 0x20; first[21] = 0; // more fragments, offset 0
      const second = new Uint8Array(14 + 20 + 12);
      second.set(whole.slice(0, 34));
      second.set(whole.slice(42), 34);
      second[16] = 0; second[17] = 32;
      second[20] = 0; second[21] = 1; // offset 8 bytes
      writer.write(n, 0, first.length, first);
      writer.write(n, 1000, second.length, second);
    }
    writer.close();
    const r = cli(['analyze', path, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const warnings: string[] = JSON.parse(r.stdout).warnings;
    // Each pair is reassembled into the TCP segment it carries: nothing is cut short, nothing left over.
    expect(warnings.some((w) => /cut short|fragment/.test(w)), warnings.join('\n')).toBe(false);
  });

  test('--scanner with a MAC labels every frame that MAC sent or received', () => {
    const path = join(tmp.path, 'mac.pcap');
    const writer = new PcapWriter(path, { linkType: LINKTYPE.ETHERNET });
    const frames = [
      arpFrame(ATTACKER, '198.18.0.10', false),
      tcpFrame({ ip: ATTACKER, port: 40000 }, { ip: '198.18.0.10', port: 22 }, FLAGS.SYN),
      tcpFrame({ ip: '198.18.0.10', port: 22 }, { ip: ATTACKER, port: 40000 }, FLAGS.RST | FLAGS.ACK),
      tcpFrame({ ip: '198.18.0.20', port: 50000 }, { ip: '198.18.0.10', port: 80 }, FLAGS.SYN),
      arpFrame('198.18.0.20', '198.18.0.10', false),
    ];
    frames.forEach((f, i) => writer.write(i, 0, f.length, f));
    writer.close();
    const mac = macOf(ATTACKER).map((b) => b.toString(16).padStart(2, '0')).join(':');
    const r = cli(['analyze', path, '--scanner', mac, '--json', '--k', '2']);
    expect(r.code, r.stderr).toBe(0);
    // Reference: tshark's own count of frames with that MAC at either end.
    const expected = hasTshark ? run('tshark', ['-r', path, '-Y', `eth.addr == ${mac}`]).trim().split('\n').length : 3;
    expect(JSON.parse(r.stdout).scanPackets).toBe(expected);
  });

  test.each([['1e-9'], ['1e12']])('--window %s neither overflows a key nor crashes', (window) => {
    const r = cli(['analyze', pcap, '--window', window, '--json', '--features', 'host-window', '--k', '2']);
    expect(r.code, r.stderr).toBe(0);
    const set = JSON.parse(r.stdout).featureSets['host-window'];
    expect(set.rows).toBeGreaterThan(0);
    expect(set.rows).toBeLessThanOrEqual(JSON.parse(r.stdout).packets);
  });

  test('timestamps from 0 to 2^32-1 seconds are analyzed without overflow', () => {
    const path = join(tmp.path, 'far-times.pcap');
    const writer = new PcapWriter(path, { linkType: LINKTYPE.ETHERNET });
    for (let n = 0; n < 40; n++) {
      const f = tcpFrame({ ip: n % 2 ? ATTACKER : '198.18.0.20', port: 40000 + n }, { ip: '198.18.0.10', port: 1 + n }, FLAGS.SYN);
      writer.write(n < 20 ? n : 0xffffffff - (40 - n), 0, f.length, f);
    }
    writer.close();
    const r = cli(['analyze', path, '--json', '--k', '2', '--scanner', ATTACKER]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).scanPackets).toBe(20);
  });
});
