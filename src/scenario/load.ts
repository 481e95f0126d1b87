// Reads a scenario file: YAML parse, schema check, cross-field checks. Every error names the
// file, the line and the field, so a user can fix it without guessing.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { UserError } from '../errors.ts';
import { checkInput } from '../util/checked-paths.ts';
import { scenarioSchema } from './schema.ts';
import { normalizeScenario, type Scenario } from './normalize.ts';

export function loadScenario(path: string, overrides: { seed?: number } = {}): Scenario {
  checkInput(path, 'scenario', ['file'], 'give the path of a scenario file, e.g. scenarios/quick.yaml');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new UserError(`cannot read scenario ${path}: ${(cause as Error).message}`, 'give the path of a scenario file, e.g. scenarios/quick.yaml', { cause });
  }
  return parseScenario(text, path, overrides);
}

export function parseScenario(text: string, path: string, overrides: { seed?: number } = {}): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const pos = first.linePos?.[0];
    const where = pos ? `${path}:${pos.line}:${pos.col}` : path;
    throw new UserError(`${where}: the scenario is not valid YAML: ${first.message.split('\n')[0]}`, 'fix the YAML syntax at that line (indentation, a missing colon or quote)');
  }
  const raw = doc.toJS() ?? {};
  if (overrides.seed !== undefined) raw.seed = overrides.seed;
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = locate(doc, lines, issue.path as (string | number)[]);
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new UserError(`${path}:${at}: ${field}: ${describeIssue(issue)}`, `see scenarios/quick.yaml for a complete example`);
  }
  const scenario = normalizeScenario(parsed.data, (fieldPath) => `${path}:${locate(doc, lines, fieldPath)}`);
  // An ssh config named in the file is relative to the file, wherever scanlab runs from.
  if (scenario.lab.kind === 'ssh' && scenario.lab.sshConfig) return { ...scenario, lab: { ...scenario.lab, sshConfig: resolve(dirname(path), scenario.lab.sshConfig) } };
  return scenario;
}

/** Line of the deepest node on `fieldPath` that exists in the document. */
function locate(doc: Document, lines: LineCounter, fieldPath: (string | number)[]): number {
  for (let depth = fieldPath.length; depth >= 0; depth--) {
    const node = doc.getIn(fieldPath.slice(0, depth), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    // An unknown or missing key: point at the pair's key when there is one.
  }
  return 1;
}

function describeIssue(issue: { code: string; message: string; keys?: string[] }): string {
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return issue.message;
}
