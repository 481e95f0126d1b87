// The npm package as a user gets it: `npm pack` of this clone, `npm install -g` of the tarball into
// a temporary prefix (the libpcap binding's install script allowed, as the README says; npm's
// own cache and the registry supply the dependencies), then the installed `scanlab` and `npx
// scanlab` run from outside the clone. The prefix is removed afterwards.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, tcpdumpCount, tempDir } from '../helpers/env.ts';
import { hasTmux, killTmuxSessions, startCliInTmux, waitForScreen } from '../helpers/tmux.ts';
import { hasTshark, run } from '../helpers/tools.ts';

const CAPTURE = join(PROJECT_ROOT, 'test/fixtures/captures/lo-mixed.pcap');
const SCANNER = '127.0.0.66';
// What a user needs, and nothing of the tests, fixtures or benchmarks.
const SHIPPED = /^(bin|src|scenarios|lab)\/|^(package\.json|README\.md|LICENSE|tsconfig\.json)$/;

let work: string;
let prefix: string;
let shipped: string[];
const env = () => ({ ...process.env, npm_config_prefix: prefix, NO_COLOR: '1' });

function sh(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, env: env(), encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  work = tempDir('package');
  prefix = join(work, 'prefix');
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work, PROJECT_ROOT]));
  shipped = packed[0].files.map((f: { path: string }) => f.path);
  const tarball = join(work, packed[0].filename);
  const install = sh('npm', ['install', '-g', '--prefix', prefix, '--allow-scripts=pcap,esbuild', '--prefer-offline', '--no-audit', '--no-fund', tarball], work);
  if (install.code !== 0) throw new Error(`npm install -g ${tarball} failed (${install.code}):\n${install.stderr}`);
}, 900_000);

afterAll(() => {
  killTmuxSessions();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed npm package', () => {
  test('ships the program, scenarios, lab setup, README and LICENSE, and no tests or benchmarks', () => {
    expect(shipped.filter((f) => !SHIPPED.test(f))).toEqual([]);
    for (const f of ['bin/scanlab.js', 'src/cli.ts', 'src/commands/doctor.ts', 'scenarios/quick.yaml', 'lab/setup.sh', 'README.md', 'LICENSE', 'tsconfig.json']) {
      expect(shipped).toContain(f);
    }
    const installed = join(prefix, 'lib/node_modules/scanlab');
    expect(readdirSync(installed).sort()).toEqual(['LICENSE', 'README.md', 'bin', 'lab', 'node_modules', 'package.json', 'scenarios', 'src', 'tsconfig.json']);
    // The capture binding was built by its allowed install script.
    expect(existsSync(join(installed, 'node_modules/pcap/build/Release/pcap_binding.node'))).toBe(true);
  });

  test('the installed scanlab prints its help, from outside the clone', () => {
    const r = sh(join(prefix, 'bin/scanlab'), ['--help'], work);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scanlab analyze <run-dir|file.pcap>');
    expect(r.stdout).toContain('scanlab doctor');
  });

  test.runIf(hasTshark)('the installed scanlab analyzes a capture as the clone does: every packet, the scanner\'s counted as tshark counts them', () => {
    const installed = sh(join(prefix, 'bin/scanlab'), ['analyze', CAPTURE, '--scanner', SCANNER, '--json'], work);
    expect(installed.stderr).toBe('');
    expect(installed.code).toBe(0);
    const result = JSON.parse(installed.stdout);
    const frames = (filter: string[]) => run('tshark', ['-r', CAPTURE, ...filter, '-T', 'fields', '-e', 'frame.number']).split('\n').filter(Boolean).length;
    expect(result.packets).toBe(frames([]));
    expect(result.scanPackets).toBe(frames(['-Y', `ip.addr==${SCANNER}`]));
    // The same clusters, detections and scores as the clone's own scanlab (run times apart).
    const clone = sh(process.execPath, [join(PROJECT_ROOT, 'bin/scanlab.js'), 'analyze', CAPTURE, '--scanner', SCANNER, '--json'], PROJECT_ROOT);
    const withoutTimings = (text: string) => JSON.stringify(JSON.parse(text), (key, value) => (key === 'timings' || key === 'ms' ? undefined : value));
    expect(withoutTimings(installed.stdout)).toBe(withoutTimings(clone.stdout));
  });

  test('npx scanlab runs the installed package (npm finds it in the global prefix, nothing fetched)', () => {
    const r = sh('npx', ['--no', 'scanlab', 'analyze', CAPTURE, '--scanner', SCANNER], work);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${CAPTURE}: ${tcpdumpCount(CAPTURE)} packets`);
    expect(r.stdout).toMatch(/host-window\s+\d+/);
  });

  test.runIf(hasTmux)('the installed TUI opens on a terminal outside the clone, lists the bundled scenarios and quits with q', async () => {
    const tui = startCliInTmux('package', [], { PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, SCANLAB_RUNS: join(work, 'runs') }, { cwd: work, command: 'scanlab' });
    const picker = await waitForScreen(tui.screen, 'expected duration', 60_000);
    expect(picker).toMatch(/▸ \S+/);
    expect(picker).toContain('quick');
    tui.keys('q');
    await waitForScreen(tui.screen, 'scanlab exited with 0', 15_000);
  });
});
