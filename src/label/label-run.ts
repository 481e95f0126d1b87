// The label phase of a run: streams the attacking hosts' captures, then the victim's, through the
// exact labeller and writes labels.csv and labels.json (the comparison with the naive rule and
// the unmatched counts).

import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-output.ts';
import { readCapture } from '../capture/pcap-file.ts';
import { ExactLabeller, type AttackingHost, type ExactLabelReport, type StepWindow } from './exact.ts';
import type { BenignFlow } from '../traffic/generators.ts';

export interface LabelRunInput {
  readonly victimCapture: string;
  readonly victimAddress: string;
  /** The victim's IPv6 address, in a lab with IPv6. */
  readonly victimAddress6?: string;
  /** The victim's clock minus this machine's: its packet times are moved back by it. */
  readonly victimClockOffsetMs?: number;
  readonly attackers: readonly (AttackingHost & { readonly capture: string; readonly clockOffsetMs?: number })[];
  readonly flowsPath: string;
  readonly steps: readonly StepWindow[];
  readonly addressOf: (host: string) => string;
  readonly address6Of?: (host: string) => string | undefined;
  readonly labelsCsv: string;
  readonly labelsJson: string;
}

export function readBenignFlows(path: string): BenignFlow[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as BenignFlow);
}

const millis = (r: { tsSec: number; tsNsec: number }) => r.tsSec * 1000 + r.tsNsec / 1e6;

export function labelRun(input: LabelRunInput): ExactLabelReport {
  const labeller = new ExactLabeller(input.steps, input.attackers, readBenignFlows(input.flowsPath), input.victimAddress, input.addressOf, input.victimAddress6, input.address6Of);
  const warnings: string[] = [];
  for (const attacker of input.attackers) {
    if (!existsSync(attacker.capture)) {
      warnings.push(`no capture of attacking host ${attacker.host}: its probes cannot be matched`);
      continue;
    }
    const offset = attacker.clockOffsetMs ?? 0;
    readCapture(attacker.capture, (r) => labeller.addAttackerFrame(r.data, r.linkType, millis(r) - offset));
  }
  const offset = input.victimClockOffsetMs ?? 0;
  readCapture(input.victimCapture, (r) => labeller.addVictimFrame(r.data, r.linkType, millis(r) - offset));
  const report = { ...labeller.report(), warnings };

  writeFileAtomic(input.labelsCsv, labeller.csv());
  writeFileAtomic(input.labelsJson, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
