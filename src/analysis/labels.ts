// Ground truth for analysis: from a run directory's labels.csv (no,label,step; `no` is the
// 1-based packet number in capture.pcap) or from scanner addresses (packets to or from them are
// scan). One byte per packet: 1 scan, 0 benign.
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';

export interface PacketLabels {
  /** 1 = scan, 0 = benign, per packet of the capture. */
  readonly labels: Uint8Array;
  /** Step name index per packet (0 = none), into `steps`. */
  readonly stepOf: Uint16Array;
  readonly steps: readonly string[];
  readonly warnings: string[];
}

export function readLabelsCsv(path: string, packets: number): PacketLabels {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new UserError(`cannot read labels file ${path}: ${(cause as Error).message}`, 'a run directory holds capture.pcap and labels.csv; or analyze the pcap alone with --scanner ADDR', { cause });
  }
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim();
  if (header !== 'no,label,step') {
    throw new UserError(`${path}:1: expected the header "no,label,step", found "${header ?? ''}"`, 'labels.csv is written by scanlab run; regenerate it or pass --scanner ADDR instead');
  }
  const labels = new Uint8Array(packets);
  const stepOf = new Uint16Array(packets);
  const seen = new Uint8Array(packets);
  const steps = [''];
  const stepIds = new Map<string, number>([['', 0]]);
  const warnings: string[] = [];
  let beyond = 0;
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n];
    if (line === '') continue;
    const first = line.indexOf(',');
    const second = line.indexOf(',', first + 1);
    const no = Number(line.slice(0, first));
    const label = second < 0 ? line.slice(first + 1) : line.slice(first + 1, second);
    const step = second < 0 ? '' : line.slice(second + 1);
    if (first < 0 || !Number.isInteger(no) || no < 1 || (label !== 'scan' && label !== 'benign')) {
      throw new UserError(`${path}:${n + 1}: expected "<packet number>,scan|benign,<step>", found "${line.slice(0, 80)}"`, 'fix or regenerate labels.csv');
    }
    if (no > packets) {
      beyond++;
      continue;
    }
    labels[no - 1] = label === 'scan' ? 1 : 0;
    let id = stepIds.get(step);
    if (id === undefined) {
      id = steps.length;
      steps.push(step);
      stepIds.set(step, id);
    }
    stepOf[no - 1] = id;
    seen[no - 1] = 1;
  }
  let missing = 0;
  for (let i = 0; i < packets; i++) if (!seen[i]) missing++;
  if (missing > 0) {
    throw new UserError(`${path} labels ${packets - missing} of the ${packets} packets in the capture; ${missing} have no label`, 'labels.csv must have one row per packet of capture.pcap; regenerate it, or use --scanner ADDR');
  }
  if (beyond > 0) warnings.push(`${path} labels ${beyond} packets beyond the ${packets} in the capture (cut short?); they were ignored`);
  return { labels, stepOf, steps, warnings };
}

/** Packets to or from any of `scanners` are scan. Unknown or absent addresses are a UserError. */
export function labelsFromScanners(decoded: DecodedCapture, scanners: readonly string[], capturePath: string): PacketLabels {
  const ids = new Set<number>();
  for (const text of scanners) {
    const id = decoded.addresses.lookup(text.trim());
    if (id === undefined) {
      throw new UserError(`scanner address ${text} does not occur in ${capturePath}`, 'give the scanning host\'s address as it appears in the capture (IPv4, IPv6 or MAC), e.g. from: tshark -r FILE -T fields -e ip.src | sort | uniq -c');
    }
    ids.add(id);
  }
  const { src, dst } = decoded.columns;
  const labels = new Uint8Array(decoded.packets);
  const stepOf = new Uint16Array(decoded.packets);
  for (let i = 0; i < decoded.packets; i++) {
    if (ids.has(src[i]) || ids.has(dst[i])) {
      labels[i] = 1;
      stepOf[i] = 1;
    }
  }
  return { labels, stepOf, steps: ['', 'scanner'], warnings: [] };
}
