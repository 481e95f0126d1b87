// Ground truth for analysis: from a run directory's labels.csv (no,label,step; `no` is the
// 1-based packet number in capture.pcap) or from scanner addresses (packets to or from them are
// scan). One byte per packet: 1 scan, 0 benign.
import { UserError } from '../errors.ts';
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import { macValue, packetsOfMacs } from '../capture/link-macs.ts';
import { forEachLine } from '../util/file-lines.ts';

export interface PacketLabels {
  /** 1 = scan, 0 = benign, per packet of the capture. */
  readonly labels: Uint8Array;
  /** Step name index per packet (0 = none), into `steps`. */
  readonly stepOf: Uint16Array;
  readonly steps: readonly string[];
  readonly warnings: string[];
}

export function readLabelsCsv(path: string, packets: number): PacketLabels {
  const labels = new Uint8Array(packets);
  const stepOf = new Uint16Array(packets);
  /** Line of each packet's row (0 = none yet). */
  const seen = new Uint32Array(packets);
  const steps = [''];
  const stepIds = new Map<string, number>([['', 0]]);
  const warnings: string[] = [];
  let beyond = 0;
  let headerSeen = false;
  /** The step of the line before (a copy: the read buffer is reused) and its id. */
  let lastStep: Buffer | undefined;
  let lastStepId = 0;
  // Byte-level parse of a file read in chunks: a million lines cost no string per line and no
  // copy of the file (steps are interned, and a line with the same step as the line before reuses its id).
  const parseLine = (bytes: Buffer, start: number, end: number, n: number): void => {
    if (end > start && bytes[end - 1] === 13) end--;
    if (!headerSeen) {
      headerSeen = true;
      checkHeader(path, bytes.toString('utf8', start, end));
      return;
    }
    if (end === start) return;
    let o = start;
    let no = 0;
    while (o < end && bytes[o] >= 48 && bytes[o] <= 57) no = no * 10 + bytes[o++] - 48;
    const numberEnd = o;
    let label = -1;
    if (bytes[o] === 44) {
      if (matches(bytes, o + 1, end, SCAN)) { label = 1; o += 1 + SCAN.length; }
      else if (matches(bytes, o + 1, end, BENIGN)) { label = 0; o += 1 + BENIGN.length; }
    }
    if (numberEnd === start || no < 1 || label < 0 || (o < end && bytes[o] !== 44)) {
      throw new UserError(`${path}:${n}: expected "<packet number>,scan|benign,<step>", found "${bytes.toString('utf8', start, Math.min(end, start + 80))}"`, 'fix or regenerate labels.csv');
    }
    if (no > packets) {
      beyond++;
      return;
    }
    const stepStart = o < end ? o + 1 : end;
    let id: number;
    if (lastStep && end - stepStart === lastStep.length && bytes.compare(lastStep, 0, lastStep.length, stepStart, end) === 0) id = lastStepId;
    else {
      const step = bytes.toString('utf8', stepStart, end);
      id = stepIds.get(step) ?? -1;
      if (id < 0) {
        id = steps.length;
        steps.push(step);
        stepIds.set(step, id);
      }
      lastStep = Buffer.from(bytes.subarray(stepStart, end));
      lastStepId = id;
    }
    if (seen[no - 1]) throw new UserError(`${path}:${n}: packet ${no} is labelled twice (also on line ${seen[no - 1]})`, 'labels.csv must hold one row per packet; fix or regenerate it');
    labels[no - 1] = label;
    stepOf[no - 1] = id;
    seen[no - 1] = n;
  };
  try {
    forEachLine(path, parseLine);
  } catch (cause) {
    if (cause instanceof UserError) throw cause;
    throw new UserError(`cannot read labels file ${path}: ${(cause as Error).message}`, 'a run directory holds capture.pcap and labels.csv; or analyze the pcap alone with --scanner ADDR', { cause });
  }
  if (!headerSeen) checkHeader(path, '');
  let missing = 0;
  for (let i = 0; i < packets; i++) if (!seen[i]) missing++;
  if (missing > 0) {
    throw new UserError(`${path} labels ${packets - missing} of the ${packets} packets in the capture; ${missing} have no label`, 'labels.csv must have one row per packet of capture.pcap; regenerate it, or use --scanner ADDR');
  }
  if (beyond > 0) warnings.push(`${path} labels ${beyond} packets beyond the ${packets} in the capture (cut short?); they were ignored`);
  return { labels, stepOf, steps, warnings };
}

function checkHeader(path: string, line: string): void {
  const header = line.trim();
  if (header !== 'no,label,step') {
    throw new UserError(`${path}:1: expected the header "no,label,step", found "${header.slice(0, 80)}"`, 'labels.csv is written by scanlab run; regenerate it or pass --scanner ADDR instead');
  }
}

const SCAN = Buffer.from('scan');
const BENIGN = Buffer.from('benign');

function matches(bytes: Buffer, at: number, end: number, word: Buffer): boolean {
  if (end - at < word.length) return false;
  for (let k = 0; k < word.length; k++) if (bytes[at + k] !== word[k]) return false;
  return true;
}

/** Packets to or from any of `scanners` are scan. Unknown or absent addresses are a UserError. */
export function labelsFromScanners(decoded: DecodedCapture, scanners: readonly string[], capturePath: string): PacketLabels {
  const ids = new Set<number>();
  const macs = new Set<number>();
  for (const text of scanners) {
    const id = decoded.addresses.lookup(text.trim());
    const mac = macValue(text.trim());
    if (id === undefined) {
      throw new UserError(`scanner address ${text} does not occur in ${capturePath}`, 'give the scanning host\'s address as it appears in the capture (IPv4, IPv6 or MAC), e.g. from: tshark -r FILE -T fields -e ip.src | sort | uniq -c');
    }
    if (mac !== undefined) macs.add(mac);
    else ids.add(id);
  }
  const { src, dst } = decoded.columns;
  const labels = new Uint8Array(decoded.packets);
  const stepOf = new Uint16Array(decoded.packets);
  // A MAC labels every frame it sent or received, IP or not: read from the link-layer headers.
  const byMac = macs.size > 0 ? packetsOfMacs(capturePath, macs, decoded.packets) : undefined;
  for (let i = 0; i < decoded.packets; i++) {
    if (ids.has(src[i]) || ids.has(dst[i]) || byMac?.[i]) {
      labels[i] = 1;
      stepOf[i] = 1;
    }
  }
  return { labels, stepOf, steps: ['', 'scanner'], warnings: [] };
}
