// The mapping table on disk (private: kept in the run directory, never in dataset/). Faker does
// not promise the same output across its versions, so a saved table is what makes a dataset
// reproducible later: `--mapping FILE` loads it and only addresses it lacks are drawn anew.

import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { UserError } from '../errors.ts';
import type { AddressMapping } from './address-mapping.ts';
import { macFromText, macToText, v4FromText, v4ToText, v6FromText, v6ToText } from '../util/address-text.ts';
import { macFromKey, macKey, v6FromKey, v6Key } from './mapper.ts';

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
  return {
    file,
    entries: {
      v4: Object.entries(file.ipv4 ?? {}).map(([o, n]) => [v4(o), v4(n)]),
      v6: Object.entries(file.ipv6 ?? {}).map(([o, n]) => [v6(o), v6(n)]),
      mac: Object.entries(file.mac ?? {}).map(([o, n]) => [mac(o), mac(n)]),
      solicited: Object.entries(file.solicited ?? {}).map(([o, n]) => [hex24(o), hex24(n)]),
    },
  };
}
