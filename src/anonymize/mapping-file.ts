// The mapping table on disk (private: kept in the run directory, never in dataset/). Faker does
// not promise the same output across its versions, so a saved table is what makes a dataset
// reproducible later: `--mapping FILE` loads it and only addresses it lacks are drawn anew.

import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { UserError } from '../errors.ts';
import type { AddressMapping } from './address-mapping.ts';
import { macFromText, macToText, v4FromText, v4ToText, v6FromText, v6ToText } from '../util/address-text.ts';
import { macFromKey, macKey, v6FromKey, v6Key } from './mapper.ts';
import { classifyV4, classifyV6 } from './address-class.ts';
import { isNonPublicAddress } from './fake-range.ts';

export const MAPPING_FORMAT = 'scanlab-anon-mapping/1';

export interface MappingFile {
  format: typeof MAPPING_FORMAT;
  mode: 'faker' | 'prefix';
  seed: number;
  ipv4: Record<string, string>;
  ipv6: Record<string, string>;
  mac: Record<string, string>;
  /** Solicited-node suffixes (24 bits, hex). */
  solicited: Record<string, string>;
}

export function mappingToJson(m: AddressMapping, mode: 'faker' | 'prefix', seed: number): MappingFile {
  const sortEntries = <K>(entries: [K, string][], key: (k: K) => string | number) =>
    Object.fromEntries(entries.sort((a, b) => (key(a[0]) < key(b[0]) ? -1 : 1)).map(([k, v]) => [key(k), v]));
  const tmp = new Uint8Array(6);
  const macText = (k: number) => { macFromKey(k, tmp, 0); return macToText(tmp); };
  return {
    format: MAPPING_FORMAT,
    mode,
    seed,
    ipv4: sortEntries([...m.v4Table].filter(([o, n]) => o !== n).map(([o, n]) => [o, v4ToText(n)]), v4ToText),
    ipv6: sortEntries([...m.v6Table].filter(([o, n]) => o !== n).map(([o, n]) => [o, v6ToText(v6FromKey(n))]), (k: string) => v6ToText(v6FromKey(k))),
    mac: sortEntries([...m.macTable].filter(([o, n]) => o !== n).map(([o, n]) => [o, macText(n)]), macText),
    solicited: sortEntries([...m.solicitedTable].map(([o, n]) => [o, n.toString(16).padStart(6, '0')]), (k: number) => k.toString(16).padStart(6, '0')),
  };
}

export function writeMappingFile(path: string, data: MappingFile): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

export function readMappingFile(path: string): { file: MappingFile; entries: Parameters<AddressMapping['preload']>[0] } {
  let file: MappingFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError(`cannot read mapping file ${path}: ${(error as Error).message}`, 'pass --mapping with an anon-mapping.json written by an earlier scanlab anonymize', { cause: error });
  }
  if (file?.format !== MAPPING_FORMAT) {
    throw new UserError(`${path} is not a scanlab mapping file (format should be "${MAPPING_FORMAT}")`, 'pass the anon-mapping.json from a run directory');
  }
  const bad = (what: string, v: string) => new UserError(`${path}: ${what} "${v}" is not a valid address`, 'fix or regenerate the mapping file');
  const v4 = (s: string) => { const a = v4FromText(s); if (a === undefined) throw bad('IPv4', s); return a; };
  const v6 = (s: string) => { const a = v6FromText(s); if (!a) throw bad('IPv6', s); return v6Key(a, 0); };
  const mac = (s: string) => { const a = macFromText(s); if (!a) throw bad('MAC', s); return macKey(a, 0); };
  const hex24 = (s: string) => { const n = parseInt(s, 16); if (!/^[0-9a-f]{6}$/i.test(s)) throw bad('solicited-node suffix', s); return n; };
  const entries = {
    v4: Object.entries(file.ipv4 ?? {}).map(([o, n]) => [v4(o), v4(n)] as [number, number]),
    v6: Object.entries(file.ipv6 ?? {}).map(([o, n]) => [v6(o), v6(n)] as [string, string]),
    mac: Object.entries(file.mac ?? {}).map(([o, n]) => [mac(o), mac(n)] as [number, number]),
    solicited: Object.entries(file.solicited ?? {}).map(([o, n]) => [hex24(o), hex24(n)] as [number, number]),
  };
  const v4Bytes = (a: number) => Uint8Array.of(a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff);
  checkEntries(path, 'IPv4', entries.v4, v4ToText, (o, n) => {
    if (classifyV4(o) !== classifyV4(n)) return `is ${classifyV4(o)} but its target is ${classifyV4(n)}`;
    if (file.mode === 'faker' && classifyV4(n) === 'unicast' && !isNonPublicAddress(v4Bytes(n))) return 'has a public target: fake addresses must name no real host';
  });
  checkEntries(path, 'IPv6', entries.v6, (k) => v6ToText(v6FromKey(k)), (o, n) => {
    const [co, cn] = [classifyV6(v6FromKey(o), 0), classifyV6(v6FromKey(n), 0)];
    if (co !== cn) return `is ${co} but its target is ${cn}`;
    if (file.mode === 'faker' && cn === 'unicast' && !isNonPublicAddress(v6FromKey(n))) return 'has a public target: fake addresses must name no real host';
  });
  const m6 = new Uint8Array(6);
  checkEntries(path, 'MAC', entries.mac, (k) => { macFromKey(k, m6, 0); return macToText(m6); }, () => undefined);
  checkEntries(path, 'solicited-node', entries.solicited, (k) => k.toString(16).padStart(6, '0'), () => undefined);
  return { file, entries };
}

/**
 * A mapping must be one-to-one and never send an address onto another original: no original
 * twice (the same address written two ways), no target twice, no target that is itself an
 * original of the table; plus the per-family rule (class kept, faker targets non-public).
 */
function checkEntries<K>(path: string, family: string, entries: [K, K][], text: (k: K) => string, rule: (o: K, n: K) => string | undefined): void {
  const hint = 'fix the entry, or regenerate the mapping file with scanlab anonymize';
  const originals = new Map<K, K>();
  const targets = new Map<K, K>();
  for (const [o, n] of entries) {
    const entry = `${path}: ${family} entry "${text(o)}": "${text(n)}"`;
    if (originals.has(o)) throw new UserError(`${entry}: ${text(o)} is mapped twice (also to ${text(originals.get(o)!)})`, hint);
    const other = targets.get(n);
    if (other !== undefined) throw new UserError(`${entry}: ${text(n)} is the target of two addresses (also of ${text(other)})`, hint);
    const problem = rule(o, n);
    if (problem) throw new UserError(`${entry} ${problem}`, hint);
    originals.set(o, n);
    targets.set(n, o);
  }
  for (const [o, n] of entries) {
    if (o !== n && originals.has(n)) throw new UserError(`${path}: ${family} entry "${text(o)}": "${text(n)}": the target ${text(n)} is itself an original address of the table`, hint);
  }
}
