// The data card's flows.csv section: how flows are assembled, where scanlab departs from
// CICFlowMeter and why, and every column from FLOW_COLUMNS (so the card cannot drift from the code).

import { FLOW_TIMEOUT_S } from './flow-assembly.ts';
import { CIC_COLUMNS, FLOW_COLUMNS } from './flow-columns.ts';
import { ACTIVITY_TIMEOUT_US } from './flow-values.ts';

export function renderFlowsSection(flows: { count: number; byLabel: Record<string, number> | null }): string {
  const labels = flows.byLabel ? Object.entries(flows.byLabel).map(([k, v]) => `${v} ${k}`).join(', ') : 'no labels';
  const rows = FLOW_COLUMNS.map((c, i) => `| ${i + 1} | ${c.name} | ${c.type} | ${c.doc} | ${c.differs ?? ''} |`).join('\n');
  return `## Flows (flows.csv)

${flows.count} flows (${labels}). The first ${CIC_COLUMNS} columns and \`Label\` are CIC-IDS2017's
labelled flow CSV columns (CICFlowMeter's output) in the same order, so code written for CIC-IDS2017
reads this file; scanlab's own label columns follow \`Label\`. Names carry no leading spaces (the
CIC-IDS2017 files have them; \`df.columns.str.strip()\` is a no-op here).

How packets become flows:

- A flow is the packets of one unordered 5-tuple (addresses, ports, IP protocol), both
  directions; the forward direction is its first packet's. ICMP has ports 0. Every packet of
  capture.pcap is in exactly one flow (the packet columns of flows.csv add up to the capture's
  count); non-IP frames (ARP) make flows of their MAC addresses with protocol 0.
- A flow ends ${FLOW_TIMEOUT_S} s after its first packet (CICFlowMeter's flow timeout); a TCP flow also
  ends at a RST (which is its last packet), or when both sides have sent a FIN (with the bare ACK
  that follows, if one does). A packet of the same 5-tuple after that starts a new flow.
- Active and idle periods use CICFlowMeter's ${ACTIVITY_TIMEOUT_US / 1e6} s activity timeout.
- Lengths are payload bytes (what CICFlowMeter counts), times are microseconds.

Fixed from CICFlowMeter, after Engelen et al., "Troubleshooting an intrusion detection dataset:
the CICIDS2017 case study" (WTMC 2021):

- CICFlowMeter ends a TCP flow at the first FIN, so the rest of the connection (the other side's
  FIN and the last ACKs) became separate "TCP appendix" flows; here a flow ends at the FIN of
  both sides.
- A RST ends the flow here; CICFlowMeter's 2017 version did not end a flow at a RST.
- Active and Idle hold only durations between the flow's own packets; CICFlowMeter could put an
  absolute timestamp or the time left to the flow timeout in them.
- Flows of a single packet are kept (an unanswered SYN is most of a scan).

Labels: a flow is \`scan\` when any of its packets is \`scan\` in labels.csv, else \`benign\`;
\`Scan Packets\` and \`Benign Packets\` count its packets of each label, \`Attack Step\` names the
steps of its scan packets. Empty cells are NaN (pandas) or NULL (DuckDB): the rates of a flow of
zero duration.

| # | column | type | meaning | differs from CICFlowMeter |
|---:|---|---|---|---|
${rows}
`;
}
