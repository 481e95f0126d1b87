// bench/RESULTS.md is shared by every benchmark: each owns one "## <title>" section and
// replaces only that, leaving the others as they were.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RESULTS_PATH = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

/** Replaces the section headed `## <title>` (up to the next "## ") or appends it. */
export function replaceSection(text: string, title: string, body: string): string {
  const section = `## ${title}\n\n${body.trim()}\n`;
  const heading = new RegExp(`^## ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]*$`, 'm');
  const start = text.search(heading);
  if (start < 0) return `${text.replace(/\n*$/, '\n\n')}${section}`;
  const rest = text.slice(start + 1);
  const next = rest.search(/^## /m);
  return next < 0 ? `${text.slice(0, start)}${section}` : `${text.slice(0, start)}${section}\n${rest.slice(next)}`;
}

export function writeResultsSection(title: string, body: string): void {
  const before = existsSync(RESULTS_PATH) ? readFileSync(RESULTS_PATH, 'utf8') : '# Benchmark results\n';
  writeFileSync(RESULTS_PATH, replaceSection(before, title, body));
}
