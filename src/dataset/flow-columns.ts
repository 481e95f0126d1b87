// The columns of flows.csv: CIC-IDS2017's labelled flow CSV header (TrafficLabelling/*.csv, made by
// CICFlowMeter), 84 columns then Label, in the same order, followed by scanlab's label columns.
// Each column says what it holds and, where scanlab differs from CICFlowMeter, how: the data card
// renders this table, so the documentation is the code's own list.

export type FlowColumnType = 'string' | 'int' | 'float';

export interface FlowColumn {
  readonly name: string;
  readonly type: FlowColumnType;
  readonly doc: string;
  /** How scanlab's value differs from CICFlowMeter's, when it does. */
  readonly differs?: string;
}

const LEN = 'payload bytes (TCP/UDP data, ICMP body, as the IP length says; the anonymized capture keeps it)';
const US = 'microseconds';
const EMPTY0 = '0 when there is none';

function stats(prefix: string, what: string, unit: string): FlowColumn[] {
  return [
    { name: `${prefix} Max`, type: 'float', doc: `largest ${what}, ${unit}; ${EMPTY0}` },
    { name: `${prefix} Min`, type: 'float', doc: `smallest ${what}, ${unit}; ${EMPTY0}` },
    { name: `${prefix} Mean`, type: 'float', doc: `mean ${what}, ${unit}; ${EMPTY0}` },
    { name: `${prefix} Std`, type: 'float', doc: `sample standard deviation (n - 1) of ${what}, ${unit}; 0 for fewer than two` },
  ];
}

function iat(prefix: string, what: string, total: boolean): FlowColumn[] {
  const s = stats(prefix + ' IAT', `time between consecutive ${what}`, US);
  const [max, min, mean, std] = s;
  return [
    ...(total ? [{ name: `${prefix} IAT Total`, type: 'float' as const, doc: `sum of the times between consecutive ${what} (last minus first), ${US}` }] : []),
    mean, std, max, min,
  ];
}

const ACTIVE_IDLE_DIFF = 'CICFlowMeter starts the first active period at time 0 and adds the time to the flow timeout as a last idle period, so its values can be absolute times or made up (Engelen et al.); scanlab holds only durations between packets of the flow';

/** Active/Idle in CIC-IDS2017's order Mean, Std, Max, Min, each with the Active/Idle difference. */
function withActiveIdleDiff(c: FlowColumn): FlowColumn {
  return { ...c, differs: ACTIVE_IDLE_DIFF };
}
function byStatOrder(a: FlowColumn, b: FlowColumn): number {
  const order = ['Mean', 'Std', 'Max', 'Min'];
  return order.indexOf(a.name.split(' ').pop()!) - order.indexOf(b.name.split(' ').pop()!);
}

const flag = (name: string, bit: string, differs?: string): FlowColumn => ({ name, type: 'int', doc: `packets of the flow (both directions) with TCP ${bit} set`, differs });

export const FLOW_COLUMNS: readonly FlowColumn[] = [
  { name: 'Flow ID', type: 'string', doc: '`Source IP-Destination IP-Source Port-Destination Port-Protocol`; several flows can share it (one after another)' },
  { name: 'Source IP', type: 'string', doc: 'sender of the flow\'s first packet (forward direction); a MAC address for non-IP frames (ARP)', differs: 'CICFlowMeter drops non-IP frames; scanlab keeps them so every packet is in a flow' },
  { name: 'Source Port', type: 'int', doc: 'its TCP/UDP port; 0 for ICMP and others' },
  { name: 'Destination IP', type: 'string', doc: 'receiver of the first packet' },
  { name: 'Destination Port', type: 'int', doc: 'its TCP/UDP port; 0 for ICMP and others' },
  { name: 'Protocol', type: 'int', doc: 'IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6); 0 for non-IP frames' },
  { name: 'Timestamp', type: 'string', doc: 'time of the first packet, ISO 8601 UTC with microseconds (`2026-11-28T05:46:11.828719Z`)', differs: 'CICFlowMeter writes local time as `dd/MM/yyyy hh:mm:ss a`' },
  { name: 'Flow Duration', type: 'float', doc: `last packet time minus first, ${US} (fractions kept: pcap times are exact to the ns)` },
  { name: 'Total Fwd Packets', type: 'int', doc: 'packets in the forward direction' },
  { name: 'Total Backward Packets', type: 'int', doc: 'packets in the backward direction' },
  { name: 'Total Length of Fwd Packets', type: 'int', doc: `sum of forward ${LEN}` },
  { name: 'Total Length of Bwd Packets', type: 'int', doc: `sum of backward ${LEN}` },
  ...stats('Fwd Packet Length', `forward ${LEN}`, 'bytes'),
  ...stats('Bwd Packet Length', `backward ${LEN}`, 'bytes'),
  { name: 'Flow Bytes/s', type: 'float', doc: 'payload bytes of both directions per second of Flow Duration; empty (NaN) when the duration is 0', differs: 'CICFlowMeter writes Infinity or NaN for a zero duration' },
  { name: 'Flow Packets/s', type: 'float', doc: 'packets per second of Flow Duration; empty (NaN) when the duration is 0', differs: 'as Flow Bytes/s' },
  ...iat('Flow', 'packets of the flow (both directions)', false),
  ...iat('Fwd', 'forward packets', true),
  ...iat('Bwd', 'backward packets', true),
  { name: 'Fwd PSH Flags', type: 'int', doc: 'forward packets with PSH set' },
  { name: 'Bwd PSH Flags', type: 'int', doc: 'backward packets with PSH set' },
  { name: 'Fwd URG Flags', type: 'int', doc: 'forward packets with URG set' },
  { name: 'Bwd URG Flags', type: 'int', doc: 'backward packets with URG set' },
  { name: 'Fwd Header Length', type: 'int', doc: 'sum of forward transport header bytes (TCP data offset, 8 for UDP and ICMP, 4 for ICMPv6)', differs: 'CICFlowMeter counts TCP and UDP headers only' },
  { name: 'Bwd Header Length', type: 'int', doc: 'sum of backward transport header bytes' },
  { name: 'Fwd Packets/s', type: 'float', doc: 'forward packets per second of Flow Duration; empty when the duration is 0' },
  { name: 'Bwd Packets/s', type: 'float', doc: 'backward packets per second of Flow Duration; empty when the duration is 0' },
  { name: 'Min Packet Length', type: 'float', doc: `smallest ${LEN} of any packet of the flow` },
  { name: 'Max Packet Length', type: 'float', doc: 'largest payload of any packet of the flow' },
  { name: 'Packet Length Mean', type: 'float', doc: 'mean payload over all packets of the flow' },
  { name: 'Packet Length Std', type: 'float', doc: 'sample standard deviation of the payloads; 0 for one packet' },
  { name: 'Packet Length Variance', type: 'float', doc: 'sample variance of the payloads; 0 for one packet' },
  flag('FIN Flag Count', 'FIN'),
  flag('SYN Flag Count', 'SYN'),
  flag('RST Flag Count', 'RST'),
  flag('PSH Flag Count', 'PSH'),
  flag('ACK Flag Count', 'ACK'),
  flag('URG Flag Count', 'URG'),
  flag('CWE Flag Count', 'CWR', 'the name is CIC-IDS2017\'s (a typo of CWR); the value counts CWR'),
  flag('ECE Flag Count', 'ECE'),
  { name: 'Down/Up Ratio', type: 'float', doc: 'backward packets / forward packets', differs: 'CICFlowMeter divides integers (rounds down)' },
  { name: 'Average Packet Size', type: 'float', doc: 'sum of payloads / packets (equals Packet Length Mean)' },
  { name: 'Avg Fwd Segment Size', type: 'float', doc: 'forward payload bytes / forward packets' },
  { name: 'Avg Bwd Segment Size', type: 'float', doc: 'backward payload bytes / backward packets; 0 when there are none' },
  { name: 'Fwd Header Length.1', type: 'int', doc: 'Fwd Header Length again, as in CIC-IDS2017', differs: 'CIC-IDS2017 repeats the name `Fwd Header Length`; pandas reads that as `Fwd Header Length.1`, the name written here so every reader sees unique names' },
  { name: 'Fwd Avg Bytes/Bulk', type: 'float', doc: 'payload bytes per forward bulk (a run of 4 or more forward data packets, each within 1 s of the last, with no backward data packet between); 0 without a bulk', differs: 'all 0 in CIC-IDS2017; scanlab computes CICFlowMeter\'s bulk rule' },
  { name: 'Fwd Avg Packets/Bulk', type: 'float', doc: 'packets per forward bulk' },
  { name: 'Fwd Avg Bulk Rate', type: 'float', doc: 'forward bulk payload bytes per second of bulk time; 0 when the bulk time is 0' },
  { name: 'Bwd Avg Bytes/Bulk', type: 'float', doc: 'as Fwd Avg Bytes/Bulk, backward' },
  { name: 'Bwd Avg Packets/Bulk', type: 'float', doc: 'as Fwd Avg Packets/Bulk, backward' },
  { name: 'Bwd Avg Bulk Rate', type: 'float', doc: 'as Fwd Avg Bulk Rate, backward' },
  { name: 'Subflow Fwd Packets', type: 'float', doc: 'forward packets per subflow; a subflow ends at a gap of more than 1 s between packets', differs: 'CICFlowMeter counts only the gaps (so a flow without one has 0 subflows and 0 here); scanlab counts gaps + 1' },
  { name: 'Subflow Fwd Bytes', type: 'float', doc: 'forward payload bytes per subflow' },
  { name: 'Subflow Bwd Packets', type: 'float', doc: 'backward packets per subflow' },
  { name: 'Subflow Bwd Bytes', type: 'float', doc: 'backward payload bytes per subflow' },
  { name: 'Init_Win_bytes_forward', type: 'int', doc: 'TCP window field (unscaled) of the first forward packet; -1 for non-TCP flows' },
  { name: 'Init_Win_bytes_backward', type: 'int', doc: 'TCP window field of the first backward packet; -1 when there is none or the flow is not TCP' },
  { name: 'act_data_pkt_fwd', type: 'int', doc: 'forward packets with at least one payload byte' },
  { name: 'min_seg_size_forward', type: 'int', doc: 'smallest forward transport header, bytes' },
  ...stats('Active', 'active period (packets no more than 5 s apart) longer than 0', US).map(withActiveIdleDiff).sort(byStatOrder),
  ...stats('Idle', 'gap of more than 5 s between packets', US).map(withActiveIdleDiff).sort(byStatOrder),
  { name: 'Label', type: 'string', doc: '`scan` when any packet of the flow is labelled scan in labels.csv, else `benign`; empty for a capture without labels' },
  { name: 'Scan Packets', type: 'int', doc: 'packets of the flow labelled scan (scanlab\'s own column)' },
  { name: 'Benign Packets', type: 'int', doc: 'packets of the flow labelled benign (scanlab\'s own column)' },
  { name: 'Attack Step', type: 'string', doc: 'attack steps of its scan packets, in order of first appearance, joined by `;` (scanlab\'s own column)' },
  { name: 'First Packet', type: 'int', doc: 'packet number (`no` in labels.csv, `No.` in packets.csv) of the flow\'s first packet (scanlab\'s own column)' },
];

/** The number of columns CIC-IDS2017's labelled CSVs have before Label. */
export const CIC_COLUMNS = 84;

export const FLOW_COLUMN_NAMES = FLOW_COLUMNS.map((c) => c.name);
