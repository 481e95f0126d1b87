// Labels by address and time (issue 2's rule): a packet to or from an attacking address (the
// attacker host, or a decoy a step names) is `scan`, with the step whose time span holds it
// (or the nearest one); everything else is `benign`.

import { writeFileSync } from 'node:fs';
import { readCapture, LINKTYPE } from '../capture/pcap-file.ts';
import { ipv4ToInt } from '../lab/addresses.ts';

export interface StepWindow {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
}

export interface LabelCounts {
  readonly packets: number;
  readonly scan: number;
  readonly benign: number;
  readonly byStep: Record<string, number>;
}

/** IPv4 source and destination of a frame (ARP's sender and target), or undefined. */
function ipv4Pair(data: Uint8Array, linkType: number): [number, number] | undefined {
  let offset: number;
  let etherType: number;
  if (linkType === LINKTYPE.ETHERNET) {
    if (data.length < 14) return undefined;
    etherType = (data[12] << 8) | data[13];
    offset = 14;
    if (etherType === 0x8100 && data.length >= 18) {
      etherType = (data[16] << 8) | data[17];
      offset = 18;
    }
  } else if (linkType === LINKTYPE.RAW || linkType === LINKTYPE.IPV4) {
    etherType = data.length > 0 && data[0] >> 4 === 4 ? 0x0800 : 0;
    offset = 0;
  } else {
    return undefined;
  }
  const u32 = (o: number) => ((data[o] << 24) | (data[o + 1] << 16) | (data[o + 2] << 8) | data[o + 3]) >>> 0;
  if (etherType === 0x0800 && data.length >= offset + 20) return [u32(offset + 12), u32(offset + 16)];
  if (etherType === 0x0806 && data.length >= offset + 28) return [u32(offset + 14), u32(offset + 24)];
  return undefined;
}

/** Writes labels.csv (no,label,step; `no` is the 1-based packet number) and returns counts. */
export function labelByAddress(pcapPath: string, labelsPath: string, attackers: string[], steps: StepWindow[]): LabelCounts {
  const scanAddresses = new Set(attackers.map((a) => ipv4ToInt(a)!));
  const lines: string[] = ['no,label,step'];
  const byStep: Record<string, number> = {};
  let scan = 0;
  const summary = readCapture(pcapPath, (record) => {
    const pair = ipv4Pair(record.data, record.linkType);
    const isScan = pair !== undefined && (scanAddresses.has(pair[0]) || scanAddresses.has(pair[1]));
    if (!isScan) {
      lines.push(`${record.index + 1},benign,`);
      return;
    }
    const ms = record.tsSec * 1000 + record.tsNsec / 1e6;
    const step = nearestStep(steps, ms);
    byStep[step] = (byStep[step] ?? 0) + 1;
    scan++;
    lines.push(`${record.index + 1},scan,${step}`);
  });
  writeFileSync(labelsPath, `${lines.join('\n')}\n`);
  return { packets: summary.packets, scan, benign: summary.packets - scan, byStep };
}

function nearestStep(steps: StepWindow[], ms: number): string {
  let best = steps[0]?.name ?? '';
  let bestDistance = Infinity;
  for (const step of steps) {
    const distance = ms < step.startMs ? step.startMs - ms : ms > step.endMs ? ms - step.endMs : 0;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = step.name;
    }
  }
  return best;
}
