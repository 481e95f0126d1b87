// Exact labels from both ends of the lab. A victim packet is `scan` when it is one an attacking
// host emitted as part of an attack (matched field by field against the attacker's own capture:
// addresses, protocol, ports, IP ID and length, TCP sequence, ICMP id/sequence) or is the direct
// reply to one (the reverse conversation of a probe, an ICMP error quoting a probe, an ARP reply
// to the attacker's request). Everything else is `benign`, including the attacker's own benign
// connections, known from the traffic agents' ground truth (benign-flows.jsonl). IPv6 packets
// are matched the same way, and neighbour discovery as ARP (frame-fields.ts).
// Pure over frames: the caller streams the attacker captures first, then the victim capture.

import { ARP_CONVERSATION, CONVERSATION_WIDTH, EMISSION_WIDTH, Ipv6Numbers, KIND, conversationTuple, emissionTuple, emptyFields, isEchoReply, isIcmp, isIp, isNeighbour, quotedTuple, readFrameFields, type FrameFields } from './frame-fields.ts';
import { TupleMap } from './tuple-map.ts';
import type { BenignFlow } from '../traffic/generators.ts';
import { ipv4ToInt } from '../lab/addresses.ts';

export interface StepWindow {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
  /** The attacking host that ran the step: concurrent steps are told apart by who sent a probe. */
  readonly host?: string;
}

export interface AttackingHost {
  readonly host: string;
  readonly address: string;
  /** Its IPv6 address, in a lab with IPv6. */
  readonly address6?: string;
  readonly mac: string;
  /** Ports the host serves (its own services answer benign clients). */
  readonly servicePorts: readonly number[];
}

export interface ExactLabelReport {
  readonly rule: 'exact';
  readonly packets: number;
  readonly scan: number;
  readonly benign: number;
  readonly byStep: Record<string, number>;
  /** How the naive rule (any packet to or from an attacker's address) compares. */
  readonly naive: { readonly scan: number; readonly benign: number; readonly naiveScanExactBenign: number; readonly naiveBenignExactScan: number };
  readonly unmatched: {
    /** Probes the attacker sent to the victim that the victim's capture does not hold. */
    readonly attackerPacketsMissingAtVictim: number;
    /** Victim packets to an attacking or decoy address that look like replies but match no probe. */
    readonly victimRepliesUnmatched: number;
  };
  /** Probes emitted per attacking host, and benign packets it emitted. */
  readonly emitted: Record<string, { scan: number; benign: number }>;
  /** Problems with the inputs (a missing attacker capture). */
  readonly warnings: string[];
}

/** Slack around a step's time span for packets the kernel sends just before or after nmap. */
const STEP_SLACK_MS = 1000;
/** Replies arrive after their probe: a reply may come this long after the last probe. */
const REPLY_WINDOW_MS = 30_000;
/** A benign flow's packets may trail its close (FIN/ACK exchange, TIME_WAIT retransmits). */
const FLOW_TAIL_MS = 5000;

interface Probes {
  first: number;
  last: number;
  step: number;
}

const macToNumber = (mac: string) => parseInt(mac.replace(/:/g, ''), 16);

export class ExactLabeller {
  private readonly attackerByMac = new Map<number, AttackingHost>();
  private readonly attackerAddresses = new Set<number>();
  /** Source addresses of probes: the attackers' own and any decoys they spoofed. */
  private readonly probeSources = new Set<number>();
  private readonly emissions = new TupleMap<{ step: number; toVictim: boolean; seen: boolean }>(EMISSION_WIDTH);
  private readonly conversations = new TupleMap<Probes>(CONVERSATION_WIDTH);
  private readonly quoted = new TupleMap<number>(CONVERSATION_WIDTH);
  private readonly benignFlows = new TupleMap<[number, number][]>(CONVERSATION_WIDTH);
  /** Conversations benign packets opened towards the victim: its replies there are expected. */
  private readonly benignToVictim = new TupleMap<true>(CONVERSATION_WIDTH);
  /** Scratch tuples, reused for every packet. */
  private readonly emission = new Uint32Array(EMISSION_WIDTH);
  private readonly conversation = new Uint32Array(CONVERSATION_WIDTH);
  private readonly emitted: Record<string, { scan: number; benign: number }> = {};
  private readonly fields: FrameFields = emptyFields();
  /** IPv6 addresses as numbers, the same in every capture this labeller reads. */
  private readonly v6 = new Ipv6Numbers();
  /** The victim's addresses as numbers: its IPv4 one and, in an IPv6 lab, its IPv6 one. */
  private readonly victim = new Set<number>();
  readonly labels: number[] = [];
  readonly stepOf: number[] = [];
  private naiveScan = 0;
  private naiveScanExactBenign = 0;
  private naiveBenignExactScan = 0;
  private unmatchedReplies = 0;

  constructor(
    private readonly steps: readonly StepWindow[],
    attackers: readonly AttackingHost[],
    flows: readonly BenignFlow[],
    victimAddress: string,
    addressOf: (host: string) => string,
    victimAddress6?: string,
    address6Of: (host: string) => string | undefined = () => undefined,
  ) {
    this.victim.add(ipv4ToInt(victimAddress)!);
    if (victimAddress6) this.victim.add(this.v6.ofText(victimAddress6)!);
    for (const a of attackers) {
      this.attackerByMac.set(macToNumber(a.mac), a);
      this.attackerAddresses.add(ipv4ToInt(a.address)!);
      if (a.address6) this.attackerAddresses.add(this.v6.ofText(a.address6)!);
      this.emitted[a.host] = { scan: 0, benign: 0 };
    }
    for (const f of flows) {
      // A flow to an IPv6 address left from the host's IPv6 address.
      const local = f.remote.includes(':') ? this.v6.ofText(address6Of(f.host) ?? '') : ipv4ToInt(addressOf(f.host));
      const remote = f.remote.includes(':') ? this.v6.ofText(f.remote) : ipv4ToInt(f.remote);
      if (local === undefined || remote === undefined) continue;
      const key = conversationTuple(local, remote, f.protocol === 'tcp' ? 6 : 17, f.localPort, f.remotePort, new Uint32Array(CONVERSATION_WIDTH));
      const spans = this.benignFlows.get(key) ?? [];
      spans.push([f.startMs - STEP_SLACK_MS, (f.endMs ?? Infinity) + FLOW_TAIL_MS]);
      this.benignFlows.set(key, spans);
    }
  }

  /** Step index for a time: the host's step whose span (with slack) holds it, else the nearest. */
  private stepAt(ms: number, host?: string): number {
    let best = -1;
    let bestDistance = Infinity;
    const own = host !== undefined && this.steps.some((s) => s.host === host);
    this.steps.forEach((s, i) => {
      if (own && s.host !== host) return;
      const d = ms < s.startMs ? s.startMs - ms : ms > s.endMs ? ms - s.endMs : 0;
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    });
    return best;
  }

  private inStep(ms: number): boolean {
    return this.steps.some((s) => ms >= s.startMs - STEP_SLACK_MS && ms <= s.endMs + STEP_SLACK_MS);
  }

  private isBenignFlow(key: Uint32Array, ms: number): boolean {
    const spans = this.benignFlows.get(key);
    return spans !== undefined && spans.some(([from, to]) => ms >= from && ms <= to);
  }

  /** One frame of an attacking host's capture. */
  addAttackerFrame(data: Uint8Array, linkType: number, ms: number): void {
    const f = readFrameFields(data, linkType, this.fields, this.v6);
    const attacker = this.attackerByMac.get(f.srcMac);
    if (!attacker) return; // received, not emitted
    const count = this.emitted[attacker.host];
    if (isNeighbour(f)) {
      // The kernel's and nmap's ARP look alike: ARP counts as the attack's only inside a step.
      if (!this.inStep(ms)) return void count.benign++;
      const arpStep = this.stepAt(ms, attacker.host);
      this.emissions.set(emissionTuple(f, this.emission), { step: arpStep, toVictim: false, seen: false });
      if (f.arpOp === 1) this.addProbe(conversationTuple(f.dst, f.src, ARP_CONVERSATION, 0, 0, this.conversation), ms, arpStep);
      count.scan++;
      return;
    }
    if (!isIp(f)) return;
    const fromOwnAddress = this.attackerAddresses.has(f.src);
    const conversation = conversationTuple(f.src, f.dst, f.proto, f.srcPort, f.dstPort, this.conversation);
    if (fromOwnAddress && (this.isBenignFlow(conversation, ms) || (!isIcmp(f.proto) && attacker.servicePorts.includes(f.srcPort)))) {
      return void count.benign++;
    }
    count.scan++;
    this.probeSources.add(f.src);
    const step = this.stepAt(ms, attacker.host);
    this.emissions.set(emissionTuple(f, this.emission), { step, toVictim: this.victim.has(f.dst), seen: false });
    // Replies come back on the reverse conversation (echo replies carry the echo id).
    const reply = isIcmp(f.proto) ? conversationTuple(f.dst, f.src, f.proto, f.seq >>> 16, 0, this.conversation) : conversationTuple(f.dst, f.src, f.proto, f.dstPort, f.srcPort, this.conversation);
    this.addProbe(reply, ms, step);
    this.quoted.set(quotedTuple(f.src, f.dst, f.proto, f.ipId, f.srcPort, f.dstPort, this.conversation), step);
  }

  private addProbe(key: Uint32Array, ms: number, step = this.stepAt(ms)): void {
    const probes = this.conversations.get(key);
    if (probes) {
      probes.last = ms;
      probes.step = step;
    } else {
      this.conversations.set(key, { first: ms, last: ms, step });
    }
  }

  private replyStep(key: Uint32Array, ms: number): number | undefined {
    const p = this.conversations.get(key);
    if (!p || ms < p.first - STEP_SLACK_MS || ms > p.last + REPLY_WINDOW_MS) return undefined;
    return p.step;
  }

  /** One frame of the victim's capture, in file order: labels it. */
  addVictimFrame(data: Uint8Array, linkType: number, ms: number): void {
    const f = readFrameFields(data, linkType, this.fields, this.v6);
    const step = this.classify(f, ms);
    const naive = (isIp(f) || isNeighbour(f)) && (this.attackerAddresses.has(f.src) || this.attackerAddresses.has(f.dst));
    if (naive) this.naiveScan++;
    if (naive && step < 0) this.naiveScanExactBenign++;
    if (!naive && step >= 0) this.naiveBenignExactScan++;
    this.labels.push(step >= 0 ? 1 : 0);
    this.stepOf.push(step);
  }

  /** Step index (>= 0) for a scan packet, -1 for benign. */
  private classify(f: FrameFields, ms: number): number {
    if (isNeighbour(f)) {
      const emitted = this.emissions.get(emissionTuple(f, this.emission));
      const step = emitted ? emitted.step : f.arpOp === 2 ? this.replyStep(conversationTuple(f.src, f.dst, ARP_CONVERSATION, 0, 0, this.conversation), ms) ?? -1 : -1;
      if (f.kind !== KIND.ND || step < 0) return step;
      // One solicitation tuple (asker, target) recurs in every step and between them: neighbour
      // discovery is the attack's only inside a step's span, and the step is the one running then.
      return this.inStep(ms) ? this.stepAt(ms, this.steps[step]?.host) : -1;
    }
    if (!isIp(f)) return -1;
    const emitted = this.emissions.get(emissionTuple(f, this.emission));
    if (emitted) {
      emitted.seen = true;
      return emitted.step;
    }
    // Replies within a benign connection of an attacking host stay benign.
    if (this.isBenignFlow(conversationTuple(f.dst, f.src, f.proto, f.dstPort, f.srcPort, this.conversation), ms)) return -1;
    const replyKey = isIcmp(f.proto) ? conversationTuple(f.src, f.dst, f.proto, f.seq >>> 16, 0, this.conversation) : conversationTuple(f.src, f.dst, f.proto, f.srcPort, f.dstPort, this.conversation);
    const reply = isIcmp(f.proto) && !isEchoReply(f) ? undefined : this.replyStep(replyKey, ms);
    if (reply !== undefined) return reply;
    if (f.quotedProto !== 0) {
      const quoted = this.quoted.get(quotedTuple(f.quotedSrc, f.quotedDst, f.quotedProto, f.quotedIpId, f.quotedSrcPort, f.quotedDstPort, this.conversation));
      if (quoted !== undefined) return quoted;
    }
    if (this.victim.has(f.dst)) {
      // Remember the conversation from the victim's side, so its replies are not "unmatched".
      const asReply = isIcmp(f.proto) ? conversationTuple(f.dst, f.src, f.proto, f.seq >>> 16, 0, this.conversation) : conversationTuple(f.dst, f.src, f.proto, f.dstPort, f.srcPort, this.conversation);
      this.benignToVictim.set(asReply, true);
    } else if (this.victim.has(f.src) && this.looksLikeReply(f) && this.isProbeAddress(f.dst) && !this.benignToVictim.get(replyKey)) {
      this.unmatchedReplies++;
    }
    return -1;
  }

  private looksLikeReply(f: FrameFields): boolean {
    if (f.proto === 6) return (f.tcpFlags & 0x04) !== 0 || (f.tcpFlags & 0x12) === 0x12;
    return isIcmp(f.proto) && (isEchoReply(f) || f.quotedProto !== 0);
  }

  private isProbeAddress(address: number): boolean {
    return this.attackerAddresses.has(address) || this.probeSources.has(address);
  }

  report(): ExactLabelReport {
    const byStep: Record<string, number> = {};
    let scan = 0;
    this.stepOf.forEach((s) => {
      if (s < 0) return;
      scan++;
      const name = this.steps[s]?.name ?? '';
      byStep[name] = (byStep[name] ?? 0) + 1;
    });
    let missing = 0;
    for (const e of this.emissions.entries()) if (e.toVictim && !e.seen) missing++;
    const packets = this.labels.length;
    return {
      rule: 'exact',
      packets,
      scan,
      benign: packets - scan,
      byStep,
      naive: { scan: this.naiveScan, benign: packets - this.naiveScan, naiveScanExactBenign: this.naiveScanExactBenign, naiveBenignExactScan: this.naiveBenignExactScan },
      unmatched: { attackerPacketsMissingAtVictim: missing, victimRepliesUnmatched: this.unmatchedReplies },
      emitted: this.emitted,
      warnings: [],
    };
  }

  /** labels.csv: no,label,step (no is the 1-based packet number in the victim's capture). */
  csv(): string {
    const lines = ['no,label,step'];
    for (let i = 0; i < this.labels.length; i++) {
      lines.push(this.labels[i] ? `${i + 1},scan,${this.steps[this.stepOf[i]]?.name ?? ''}` : `${i + 1},benign,`);
    }
    return `${lines.join('\n')}\n`;
  }
}
