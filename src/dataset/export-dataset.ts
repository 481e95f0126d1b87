// Exports a run (or any capture) into a publishable dataset folder: anonymized capture.pcap,
// packets.csv, flows.csv (CIC-IDS2017's columns), labels.csv, their Parquet twins, manifest.json,
// README.md. Everything is written into a temporary folder beside the target, checked with
// verify-anon (Parquet is written after the check, from the checked CSVs), and only then renamed
// into place, so a failure leaves nothing half-written. The mapping table (private) goes to the run directory.

import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { anonymizeCapture, type AnonMode, DEFAULT_FAKE_V4, DEFAULT_FAKE_V6 } from '../anonymize/anonymize-capture.ts';
import { readKeyFile } from '../anonymize/key-file.ts';
import { writeMappingFile } from '../anonymize/mapping-file.ts';
import { formatLeak, type Leak, verifyAnonymization } from '../anonymize/verify-anonymization.ts';
import { RunFailure, UserError } from '../errors.ts';
import { renderDataCard } from './data-card.ts';
import { countLabels, type LabelCounts } from './labels.ts';
import { type Manifest, sha256File } from './manifest.ts';
import { recordedAttackFreeSeconds } from '../analysis/training.ts';
import { buildFlowTable, writeFlowsCsv } from './flows-csv.ts';
import { writePacketsCsv } from './packets-csv.ts';
import { FLOWS_SCHEMA, LABELS_SCHEMA, PACKETS_SCHEMA, type ParquetJob, writeParquet } from './parquet.ts';
import { readScenarioInfo } from './scenario-info.ts';
import { toolVersions } from './tool-versions.ts';
import { buildFolderAtomic } from '../util/atomic-output.ts';
import { checkInput, checkOutput } from '../util/checked-paths.ts';

export interface ExportOptions {
  /** A run directory (capture.pcap, labels.csv, scenario.yaml) or a capture file. */
  readonly input?: string;
  /** Same as `input`, for the run engine. */
  readonly runDir?: string;
  /** Dataset folder to create; default `<run>/dataset`. */
  readonly outDir?: string;
  readonly mode?: AnonMode;
  /** Faker seed, and the key's source in prefix mode without a key file. Default: the scenario's seed, else 1. */
  readonly seed?: number;
  /** Crypto-PAn key file (prefix mode). */
  readonly keyFile?: string;
  /** Mapping table to reuse. */
  readonly mappingFile?: string;
  /** Where to save the mapping table; default `<run>/anon-mapping.json`, or `<out>.anon-mapping.json` beside the dataset for a plain capture. */
  readonly mappingOut?: string;
  readonly keepPayload?: boolean;
  /** Non-public ranges fake addresses are drawn from (faker mode); defaults 10.0.0.0/8 and fd00::/8. */
  readonly fakeV4Range?: string;
  readonly fakeV6Range?: string;
  readonly dns?: 'rewrite' | 'cut';
  /** Replace an existing dataset folder. */
  readonly force?: boolean;
}

export interface ExportResult {
  readonly datasetDir: string;
  readonly mappingPath: string;
  readonly packets: number;
  /** Always 0: a dataset with leaks is not written (RunFailure instead). */
  readonly leaks: 0;
  readonly manifest: Manifest;
  /** What the capture reader said: damage found, and how many packets were kept. */
  readonly warnings: string[];
  readonly timings: { readonly anonymizeMs: number; readonly csvMs: number; readonly flowsMs: number; readonly verifyMs: number; readonly parquetMs: number; readonly totalMs: number };
}

export async function exportDataset(options: ExportOptions): Promise<ExportResult> {
  const t0 = performance.now();
  const given = options.input ?? options.runDir;
  if (!given) throw new UserError('no run directory or capture file given', 'pass a run directory or a .pcap file');
  const input = resolve(given);
  const isRun = checkInput(input, 'capture file', ['file', 'folder'], 'pass a run directory (runs/<date>-<scenario>/) or a .pcap/.pcapng file') === 'folder';
  const capture = isRun ? join(input, 'capture.pcap') : input;
  if (!existsSync(capture)) {
    throw new UserError(
      isRun ? `run directory ${input} has no capture.pcap` : `capture file ${input} does not exist`,
      'pass a run directory (runs/<date>-<scenario>/) or a .pcap/.pcapng file',
    );
  }
  checkInput(capture, 'capture', ['file'], 'pass a run directory (runs/<date>-<scenario>/) or a .pcap/.pcapng file');
  if (!isRun && !options.outDir) throw new UserError('anonymizing a capture file needs --out DIR', 'e.g. scanlab anonymize file.pcap --out dataset');
  const outDir = resolve(options.outDir ?? join(input, 'dataset'));
  checkOutput(outDir, 'dataset folder', 'folder');
  checkReplaceable(outDir, isRun ? input : capture, options.force ?? false);
  const mode = options.mode ?? 'faker';
  if (options.keyFile) checkInput(options.keyFile, 'key file', ['file'], 'give the key file (32 bytes, or 64 hex digits)');
  if (options.mappingFile) checkInput(options.mappingFile, 'mapping file', ['file'], 'give a mapping table written by an earlier scanlab anonymize');
  const key = mode === 'prefix' && options.keyFile ? readKeyFile(options.keyFile) : undefined;
  const labelsPath = isRun ? join(input, 'labels.csv') : undefined;
  const scenario = isRun ? readScenarioInfo(join(input, 'scenario.yaml')) : { name: null, sha256: null, seed: null };
  const seed = options.seed ?? scenario.seed ?? 1;
  const mappingPath = resolve(options.mappingOut ?? (isRun ? join(input, 'anon-mapping.json') : `${outDir}.anon-mapping.json`));
  if (mappingPath.startsWith(outDir + '/')) throw new UserError(`the mapping file ${mappingPath} would be inside the dataset`, 'the mapping is private: save it outside the dataset folder');
  if (mappingPath === capture || mappingPath === (labelsPath && resolve(labelsPath))) throw new UserError(`the mapping file ${mappingPath} would overwrite the input`, 'choose another --out');
  checkOutput(mappingPath, 'mapping file', 'file');

  // The whole folder appears only once it is written and verified: an interrupted or failed
  // export leaves no dataset that looks complete.
  return buildFolderAtomic(outDir, async (tmp) => {
    const tA = performance.now();
    const anon = anonymizeCapture(capture, join(tmp, 'capture.pcap'), {
      mode, seed, key, mappingFile: options.mappingFile, keepPayload: options.keepPayload, dns: options.dns,
      fakeV4Range: options.fakeV4Range, fakeV6Range: options.fakeV6Range,
    });
    const tB = performance.now();
    const csv = writePacketsCsv(join(tmp, 'capture.pcap'), join(tmp, 'packets.csv'));
    const tC = performance.now();
    let labels: LabelCounts | null = null;
    if (labelsPath && existsSync(labelsPath)) {
      labels = countLabels(labelsPath, anon.packets);
      copyFileSync(labelsPath, join(tmp, 'labels.csv'));
    }
    // Flows of the anonymized capture, so their addresses are the published ones.
    const flowTable = buildFlowTable(join(tmp, 'capture.pcap'), labels ? join(tmp, 'labels.csv') : undefined);
    const flows = writeFlowsCsv(flowTable, join(tmp, 'flows.csv'));
    const tF = performance.now();
    const files: Record<string, { bytes: number; sha256: string }> = {};
    for (const f of ['capture.pcap', 'packets.csv', 'flows.csv', 'labels.csv']) if (existsSync(join(tmp, f))) files[f] = sha256File(join(tmp, f));
    const manifest: Manifest = {
      format: 'scanlab-dataset/1',
      scenario: { name: scenario.name, sha256: scenario.sha256 },
      seed,
      anonymization: {
        mode,
        keySource: mode === 'prefix' ? (key ? 'file' : 'seed') : null,
        payload: options.keepPayload ? 'kept' : 'cut',
        dns: options.dns ?? 'rewrite',
        // The ranges this dataset's fake addresses were drawn from (--fake-v4/--fake-v6 or the defaults).
        fakeRanges: mode === 'faker' ? { ipv4: options.fakeV4Range ?? DEFAULT_FAKE_V4, ipv6: options.fakeV6Range ?? DEFAULT_FAKE_V6 } : null,
        mappedAddresses: anon.counts,
        packetsCut: anon.packetsCut,
        mappingReused: Boolean(options.mappingFile),
      },
      packets: anon.packets,
      linkType: anon.linkType,
      attackFreeUntilSeconds: isRun && anon.firstTime !== null ? recordedAttackFreeSeconds(input, anon.firstTime) : null,
      counts: { byLabel: labels?.byLabel ?? null, byStep: labels?.byStep ?? null, byProtocol: csv.protocols },
      flows: { count: flows.flows, byLabel: labels ? flows.byLabel : null },
      files,
      tools: toolVersions(),
    };
    writeCard(tmp, manifest);
    const tD = performance.now();
    const check = verifyAnonymization(tmp, capture);
    const tE = performance.now();
    if (check.leakCount > 0) throw new RunFailure(leakMessage(check.leaks, check.leakCount, capture));
    // Our own files, just written: anything verify-anon could not search is scanlab's fault.
    if (check.unchecked.length > 0) throw new RunFailure(`verify-anon could not check the dataset it just wrote; nothing was written: ${check.unchecked.join('; ')}`);
    // Parquet holds the checked CSVs' values, typed and compressed (so its bytes are not searched).
    await writeParquet(parquetJobs(tmp, Boolean(labels)));
    for (const f of PARQUET_FILES) if (existsSync(join(tmp, f))) files[f] = sha256File(join(tmp, f));
    const final = writeCard(tmp, { ...manifest, files });
    const tP = performance.now();
    writeMappingFile(mappingPath, anon.mapping);
    return {
      datasetDir: outDir, mappingPath, packets: anon.packets, leaks: 0, manifest: final, warnings: anon.warnings,
      timings: { anonymizeMs: tB - tA, csvMs: tC - tB, flowsMs: tF - tC, verifyMs: tE - tD, parquetMs: tP - tE, totalMs: performance.now() - t0 },
    } satisfies ExportResult;
  });
}

const PARQUET_FILES = ['packets.parquet', 'flows.parquet', 'labels.parquet'];

function parquetJobs(dir: string, withLabels: boolean): ParquetJob[] {
  const job = (name: string, columns: ParquetJob['columns']): ParquetJob => ({ sources: [{ csv: join(dir, `${name}.csv`) }], parquet: join(dir, `${name}.parquet`), columns });
  return [job('packets', PACKETS_SCHEMA), job('flows', FLOWS_SCHEMA), ...(withLabels ? [job('labels', LABELS_SCHEMA)] : [])];
}

/** Writes README.md from the manifest, then manifest.json with README's checksum added. */
function writeCard(dir: string, manifest: Manifest): Manifest {
  writeFileSync(join(dir, 'README.md'), renderDataCard(manifest));
  const final: Manifest = { ...manifest, files: { ...manifest.files, 'README.md': sha256File(join(dir, 'README.md')) } };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(final, null, 2) + '\n');
  return final;
}

/** The files scanlab writes into a dataset folder; --force replaces only a folder of these. */
const DATASET_FILES = new Set(['capture.pcap', 'packets.csv', 'flows.csv', 'labels.csv', 'manifest.json', 'README.md', ...PARQUET_FILES]);

/**
 * An existing dataset folder may be replaced only with --force, only when scanlab wrote it (a
 * manifest of scanlab's, no other file) or it is empty, and never when the input is inside it.
 */
function checkReplaceable(outDir: string, input: string, force: boolean): void {
  if (input === outDir || input.startsWith(outDir + sep)) {
    throw new UserError(`the dataset folder ${outDir} holds the input ${input}; writing the dataset there would replace it`, 'choose a new folder for --out, e.g. beside the input');
  }
  if (!existsSync(outDir)) return;
  const entries = readdirSync(outDir);
  const foreign = entries.filter((name) => !DATASET_FILES.has(name));
  if (entries.length > 0 && (foreign.length > 0 || !hasScanlabManifest(outDir))) {
    const what = foreign.length > 0 ? `holds files scanlab did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''})` : 'has no scanlab manifest.json';
    throw new UserError(`${outDir} already exists and ${what}; scanlab replaces only a dataset folder it wrote${force ? ', even with --force' : ''}`, 'choose a new folder for --out');
  }
  if (entries.length > 0 && !force) {
    throw new UserError(`dataset folder ${outDir} already exists`, 'pass --force to replace it, or choose another --out');
  }
}

function hasScanlabManifest(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { format?: unknown };
    return typeof manifest.format === 'string' && manifest.format.startsWith('scanlab-dataset/');
  } catch {
    return false;
  }
}


function leakMessage(leaks: Leak[], total: number, capture: string): string {
  const shown = leaks.slice(0, 20).map((l) => `  ${formatLeak(l)}`).join('\n');
  return `anonymized dataset of ${capture} still holds ${total} original address${total === 1 ? '' : 'es'}; nothing was written:\n${shown}${total > 20 ? `\n  ... and ${total - 20} more` : ''}\nThis is a scanlab bug in the rewriter; please report it with the capture if you can.`;
}
