// Debian's Chromium, headless, for report checks: --dump-dom after the page's scripts ran (the
// report marks <body data-charts data-errors>), console messages from --enable-logging, and a
// screenshot. No CDP client and no extra packages.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--virtual-time-budget=10000'];

function chromium(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'scanlab-chromium-'));
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, ...args], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      rmSync(profile, { recursive: true, force: true });
      if (error) reject(Object.assign(error, { stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

export interface PageCheck {
  dom: string;
  /** Console lines Chromium logged for the page (errors and others). */
  console: string[];
}

export async function loadPage(file: string): Promise<PageCheck> {
  const { stdout, stderr } = await chromium(['--enable-logging=stderr', '--v=0', '--dump-dom', `file://${file}`]);
  return { dom: stdout, console: stderr.split('\n').filter((l) => /CONSOLE|Uncaught/.test(l)) };
}

export async function screenshot(file: string, png: string, size = '1400,4000'): Promise<void> {
  await chromium([`--window-size=${size}`, '--hide-scrollbars', `--screenshot=${png}`, `file://${file}`]);
}
