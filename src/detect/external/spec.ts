// What an external detector is: a program scanlab runs (argv, no shell) on a capture, and the
// format its alerts come in. User detectors come from --detector NAME=COMMAND and --detectors
// FILE (src/detect/external/load-specs.ts); the built-in ones (a real third-party tool packaged
// with the lab, such as p0f) are listed in BUILTIN_EXTERNAL and run in the standard bench.
//
// Placeholders in `command` (and `trainCommand`), replaced in each argument:
//   {pcap}   the capture to judge, classic pcap (a pcapng input is converted first)
//   {train}  the attack-free training part as a classic pcap (warm-up, --train-until, --train)
//   {out}    a path to write the alerts to (a file, or a folder it makes)
//   {outdir} an existing empty folder for programs that want a log folder (Suricata -l, Zeek)
//   {dir}    a fresh scratch folder, the program's working folder; removed afterwards
import { P0F_DETECTOR } from './p0f-detector.ts';

export const PLACEHOLDERS = ['pcap', 'train', 'out', 'outdir', 'dir'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export interface ExternalDetectorSpec {
  readonly name: string;
  /** argv with placeholders; argv[0] is the program (looked up on PATH). */
  readonly command: readonly string[];
  /** A name in ALERT_FORMATS (src/detect/external/formats/index.ts), or 'auto' to detect it. */
  readonly format: string;
  /** Seconds before the program (and its whole process group) is killed and the run fails. */
  readonly timeoutSeconds: number;
  /** True when it learns from {train}: the run fails when there is no training part. */
  readonly train?: boolean;
  /** A command run first (same placeholders and {dir}), e.g. to fit a model on {train}. */
  readonly trainCommand?: readonly string[];
  /** How far an alert's time may be from the packets it covers, seconds (default per format). */
  readonly toleranceSeconds?: number;
  readonly description: string;
}

/** External detectors scanlab ships. */
export const BUILTIN_EXTERNAL: ExternalDetectorSpec[] = [P0F_DETECTOR];

export const DEFAULT_TIMEOUT_SECONDS = 300;

/** True when it learns: says so (train), or its commands read {train}. */
export function usesTraining(spec: ExternalDetectorSpec): boolean {
  return spec.train === true || [...spec.command, ...(spec.trainCommand ?? [])].some((a) => a.includes('{train}'));
}
