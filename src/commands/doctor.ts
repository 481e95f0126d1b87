// `scanlab doctor [--json]`: checks every prerequisite on this machine and says what is missing
// and how to install it. Exit 0 when every required piece is there, 1 otherwise.

import { parseCommandLine } from './args.ts';
import { UserError } from '../errors.ts';
import { checkEverything, type Finding } from '../lab/prerequisites.ts';
import { installCommand } from '../lab/system-packages.ts';
import type { CommandIO } from './io.ts';

export const USAGE = 'usage: scanlab doctor [--json]';

export default async function doctor(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandLine('doctor', args, { json: { type: 'boolean', default: false } }, USAGE);
  if (positionals.length > 0) throw new UserError(`unexpected "${positionals[0]}"`, USAGE);
  const findings = await checkEverything();
  const missing = findings.filter((f) => f.required && !f.ok);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ ok: missing.length === 0, findings })}\n`);
  } else {
    io.stdout.write(formatFindings(findings));
  }
  return missing.length === 0 ? 0 : 1;
}

export function formatFindings(findings: readonly Finding[]): string {
  const width = Math.max(...findings.map((f) => f.name.length));
  const lines = findings.map((f) => {
    const status = f.ok ? 'ok' : f.required ? 'MISSING' : 'missing';
    const text = `${status.padEnd(8)} ${f.name.padEnd(width)}  ${f.ok ? f.detail : `${f.detail}: ${f.why}`}`;
    return f.ok || !f.fix ? text : `${text}\n${' '.repeat(width + 11)}install: ${f.fix}`;
  });
  const missing = findings.filter((f) => f.required && !f.ok);
  const optional = findings.filter((f) => !f.required && !f.ok);
  const summary = missing.length === 0
    ? `scanlab has everything it needs here${optional.length ? ` (optional and missing: ${optional.map((f) => f.name).join(', ')})` : ''}.`
    : `missing, and needed for a run: ${missing.map((f) => f.name).join(', ')}.`;
  const packages = [...new Set(missing.flatMap((f) => f.packages ?? []))];
  const install = packages.length ? `\nInstall them all: ${installCommand(packages)}\n(in a clone of scanlab, npm run setup does it)\n` : '';
  return `${lines.join('\n')}\n\n${summary}\n${install}`;
}
