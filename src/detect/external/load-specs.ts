// External detectors from the command line: --detector 'NAME=COMMAND' (format detected, default
// timeout) and --detectors FILE, a YAML list (or `detectors:` list) of
//   - name: suricata-et
//     command: suricata -r {pcap} -l {outdir} -k none    # a string (split like a shell) or a list
//     format: suricata-eve        # scanlab-csv | suricata-eve | zeek-notice | p0f | auto (default)
//     timeout: 120                # seconds (default 300)
//     train: true                 # optional: it learns from {train} (or a command run first)
//     tolerance: 0.5              # optional: seconds between an alert's time and its packets
//     description: ...            # optional
// Checked once here: names (unique, not a built-in's), placeholders, the format. An argument that
// names an existing file relative to the detectors file's folder (else to the current folder) is
// made absolute, because the program runs in its scratch folder.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { z } from 'zod';
import { UserError } from '../../errors.ts';
import { ALERT_FORMATS } from './formats/index.ts';
import { splitCommand } from './split-command.ts';
import { BUILTIN_EXTERNAL, DEFAULT_TIMEOUT_SECONDS, PLACEHOLDERS, type ExternalDetectorSpec } from './spec.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const HINT = 'see "Bring your own detector" in the README: name, command, format, timeout, train';

const commandSchema = z.union([z.string().min(1), z.array(z.string()).min(1)]);
const entrySchema = z.strictObject({
  name: z.string().regex(NAME, 'a name of letters, digits and . _ + - (used as a file name and a table row)'),
  command: commandSchema,
  format: z.string().default('auto'),
  timeout: z.number().positive().default(DEFAULT_TIMEOUT_SECONDS),
  train: z.union([z.boolean(), commandSchema]).optional(),
  tolerance: z.number().nonnegative().optional(),
  description: z.string().optional(),
});
const listSchema = z.array(entrySchema);
const keyedSchema = z.strictObject({ detectors: listSchema });

/** `NAME=COMMAND` from --detector. */
export function parseDetectorFlag(text: string, taken: ReadonlySet<string>): ExternalDetectorSpec {
  const eq = text.indexOf('=');
  const name = eq > 0 ? text.slice(0, eq).trim() : '';
  if (!NAME.test(name)) throw new UserError(`--detector "${text}": expected NAME=COMMAND, NAME of letters, digits and . _ + -`, "e.g. --detector 'mine=python3 detect.py {pcap} {out}'");
  const argv = checkedCommand(text.slice(eq + 1), `--detector ${name}`, process.cwd());
  checkName(name, `--detector ${name}`, taken);
  return { name, command: argv, format: 'auto', timeoutSeconds: DEFAULT_TIMEOUT_SECONDS, description: `external: ${argv.join(' ')}` };
}

export function loadDetectorsFile(path: string, taken: ReadonlySet<string>): ExternalDetectorSpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new UserError(`cannot read detectors file ${path}: ${(cause as Error).message}`, HINT, { cause });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const pos = doc.errors[0].linePos?.[0];
    throw new UserError(`${path}${pos ? `:${pos.line}` : ''}: not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, HINT);
  }
  const raw: unknown = doc.toJS() ?? [];
  // A list of detectors, or a mapping with a `detectors:` list (one schema each: clearer messages).
  const parsed = Array.isArray(raw) ? listSchema.safeParse(raw) : keyedSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new UserError(`${path}:${locate(doc, lines, issue.path as (string | number)[])}: ${field}: ${issue.message}`, HINT);
  }
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.detectors;
  const base = dirname(resolve(path));
  const names = new Set(taken);
  return entries.map((e, i) => {
    const at = `${path}:${locate(doc, lines, Array.isArray(parsed.data) ? [i] : ['detectors', i])}: detector ${e.name}`;
    checkName(e.name, at, names);
    names.add(e.name);
    if (e.format !== 'auto' && !ALERT_FORMATS[e.format]) throw new UserError(`${at}: unknown format "${e.format}"`, `choose from: auto, ${Object.keys(ALERT_FORMATS).join(', ')}`);
    const command = checkedCommand(e.command, at, base);
    const trainCommand = typeof e.train === 'string' || Array.isArray(e.train) ? checkedCommand(e.train, `${at}: train`, base) : undefined;
    return {
      name: e.name,
      command,
      format: e.format,
      timeoutSeconds: e.timeout,
      train: e.train !== undefined && e.train !== false,
      trainCommand,
      toleranceSeconds: e.tolerance,
      description: e.description ?? `external: ${command.join(' ')}`,
    };
  });
}

function checkName(name: string, at: string, taken: ReadonlySet<string>): void {
  if (taken.has(name) || BUILTIN_EXTERNAL.some((b) => b.name === name)) throw new UserError(`${at}: the name "${name}" is taken (a built-in detector or one given before)`, 'give each detector its own name');
}

function checkedCommand(command: string | readonly string[], at: string, base: string): string[] {
  const split = typeof command === 'string' ? splitCommand(command) : [...command];
  if ('error' in split) throw new UserError(`${at}: command: ${split.error}`, 'quote with \'...\' or "..."; no shell runs it, so pipes and $VARS do not work');
  if (split.length === 0) throw new UserError(`${at}: the command is empty`, HINT);
  for (const arg of split) {
    for (const m of arg.matchAll(/\{([A-Za-z]+)\}/g)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(m[1])) throw new UserError(`${at}: unknown placeholder {${m[1]}} in "${arg}"`, `placeholders: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`);
    }
  }
  return split.map((arg) => {
    if (arg.includes('{') || arg.startsWith('-') || isAbsolute(arg) || !/[/.]/.test(arg)) return arg;
    const found = [resolve(base, arg), resolve(arg)].find((p) => existsSync(p));
    return found ?? arg;
  });
}

/** Line of the deepest node on `fieldPath` that exists in the document. */
function locate(doc: Document, lines: LineCounter, fieldPath: (string | number)[]): number {
  for (let depth = fieldPath.length; depth >= 0; depth--) {
    const node = doc.getIn(fieldPath.slice(0, depth), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}
