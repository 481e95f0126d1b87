// What `--detectors` and `--detector` pick, for analyze and bench alike. Each `--detectors` value
// is either a detectors file (a .yaml/.yml name, or an existing file) or a comma list of names:
// built-in detectors and built-in external ones (BUILTIN_EXTERNAL). `--detector NAME=COMMAND` adds
// one program. Without names, the built-in defaults run (and, where `withBuiltinExternal`, the
// built-in external ones too: the standard bench), beside any detectors file or --detector.
import { existsSync, statSync } from 'node:fs';
import { UserError } from '../../errors.ts';
import { DETECTORS, detectorNamed } from '../registry.ts';
import { loadDetectorsFile, parseDetectorFlag } from './load-specs.ts';
import { BUILTIN_EXTERNAL, type ExternalDetectorSpec } from './spec.ts';

export interface ChosenDetectors {
  /** Built-in detector names; undefined = the defaults. */
  readonly names: string[] | undefined;
  readonly external: ExternalDetectorSpec[];
}

export function chooseDetectorArgs(detectors: readonly string[] | undefined, programs: readonly string[] | undefined, withBuiltinExternal: boolean): ChosenDetectors {
  const files: string[] = [];
  const listed: string[] = [];
  for (const value of detectors ?? []) {
    if (isDetectorsFile(value)) files.push(value);
    else {
      const names = value.split(',').map((s) => s.trim()).filter(Boolean);
      if (names.length === 0) throw new UserError('--detectors needs at least one name or a detectors file', `choose from: ${allNames().join(', ')}; or give a YAML file`);
      listed.push(...names);
    }
  }
  const builtIn: string[] = [];
  const external: ExternalDetectorSpec[] = [];
  for (const name of new Set(listed)) {
    const ext = BUILTIN_EXTERNAL.find((b) => b.name === name);
    if (ext) external.push(ext);
    else if (detectorNamed(name)) builtIn.push(name);
    else throw new UserError(`--detectors: unknown detector "${name}"`, `choose from: ${allNames().join(', ')}; or give a detectors file (.yaml)`);
  }
  if (listed.length === 0 && withBuiltinExternal) external.push(...BUILTIN_EXTERNAL);
  const taken = new Set([...DETECTORS.map((d) => d.name), ...external.map((e) => e.name)]);
  for (const file of files) {
    for (const spec of loadDetectorsFile(file, taken)) {
      taken.add(spec.name);
      external.push(spec);
    }
  }
  for (const flag of programs ?? []) {
    const spec = parseDetectorFlag(flag, taken);
    taken.add(spec.name);
    external.push(spec);
  }
  // Only external ones named (a file, --detector, p0f): the built-in defaults still run beside
  // them unless names were given, in which case only those.
  return { names: listed.length > 0 ? builtIn : undefined, external };
}

export function allNames(): string[] {
  return [...DETECTORS.map((d) => d.name), ...BUILTIN_EXTERNAL.map((b) => b.name)];
}

function isDetectorsFile(value: string): boolean {
  if (/\.ya?ml$/i.test(value)) return true;
  try {
    return existsSync(value) && statSync(value).isFile();
  } catch {
    return false;
  }
}
