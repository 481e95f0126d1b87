// README.md of a dataset: a data card saying what was captured, how labels were made, what was
// anonymized and what was not, and how to load it. Rendered from the manifest only.

import { renderFlowsSection } from './data-card-flows.ts';
import { renderParquetSection } from './data-card-parquet.ts';
import type { Manifest } from './manifest.ts';

export function renderDataCard(m: Manifest): string {
  const a = m.anonymization;
  const table = (rec: Record<string, number> | null) =>
    rec && Object.keys(rec).length ? ['| value | packets |', '|---|---:|', ...Object.entries(rec).map(([k, v]) => `| ${k} | ${v} |`)].join('\n') : '_none_';
  const files = Object.entries(m.files).map(([f, v]) => `| ${f} | ${v.bytes} | \`${v.sha256}\` |`).join('\n');
  return `# scanlab dataset${m.scenario.name ? `: ${m.scenario.name}` : ''}

${m.packets} packets captured by scanlab${m.scenario.name ? ` in scenario \`${m.scenario.name}\`` : ''} (seed ${m.seed}).
scanlab builds an isolated lab network of Linux network namespaces, captures every packet on the
victim host with libpcap while benign traffic generators run and an attacker host runs Nmap scans
against the victim, then anonymizes the capture into this folder.

## Files

| file | bytes | sha256 |
|---|---:|---|
${files}

- \`capture.pcap\`: the anonymized packets (classic pcap, nanosecond timestamps, link type ${m.linkType}).
- \`packets.csv\`: one row per packet with Wireshark's export columns \`No.\`, \`Time\` (seconds since
  the first packet), \`Source\`, \`Destination\`, \`Protocol\`, \`Length\` (bytes on the wire). No Info
  column, no resolved names, no vendor-prefixed MAC addresses.
- \`flows.csv\`: one row per flow with CIC-IDS2017's flow columns (CICFlowMeter's) and the flow's
  label; see "Flows" below for every column.
- \`labels.csv\`: \`no,label,step\`; \`no\` is the packet number (\`No.\` in packets.csv, frame number in
  Wireshark), \`label\` is \`scan\` or \`benign\`, \`step\` names the attack step.
- \`packets.parquet\`, \`flows.parquet\`, \`labels.parquet\`: the same tables as Parquet (see "Parquet").
- \`manifest.json\`: checksums, counts, how the data was made, tool versions.
${m.attackFreeUntilSeconds === null ? '' : `
The first ${m.attackFreeUntilSeconds.toFixed(3)} s (packets with \`Time\` below that) are the run's warm-up: attack-free
traffic, \`attackFreeUntilSeconds\` in manifest.json. Train a detector on that part only and judge it on
the rest, as \`scanlab bench --runs\` does with this folder.
`}
## How the labels were made

From ground truth, not from a detector: scanlab knows the attacker's addresses and when each
attack step ran, so every packet to or from the attacker (or a decoy address the scenario
declares) during a step is \`scan\` with that step's name; every other packet is \`benign\`.

${table(m.counts.byLabel)}

By attack step:

${table(m.counts.byStep)}

By protocol (as in packets.csv):

${table(m.counts.byProtocol)}

${renderFlowsSection(m.flows)}
${'packets.parquet' in m.files ? renderParquetSection(m.files, false) : ''}
## What was anonymized

- Mode \`${a.mode}\`: ${a.mode === 'faker'
    ? `every real address got one fake address drawn by a seeded Faker from ${a.fakeRanges?.ipv4} and ${a.fakeRanges?.ipv6} (non-public ranges); no fake address equals a real one from the capture, and none is used twice.`
    : 'addresses were encrypted with keyed prefix-preserving Crypto-PAn: two addresses sharing a prefix (of 16 bits or more) still share it; the key is not published.'}
- One mapping for every field of every packet: the same host is the same fake host as sender and
  receiver, in IP headers, ARP, ICMP/ICMPv6 error quotes, neighbour discovery, DHCP and DNS
  (A/AAAA records and in-addr.arpa/ip6.arpa names).
- MAC addresses mapped consistently, keeping their unicast/multicast and local/global bits;
  IPv6 EUI-64 interface IDs and solicited-node multicast addresses follow the mapped MAC/address.
- Kept as they are because they name no host: unspecified, loopback, broadcast and multicast
  addresses (except solicited-node ones), and group MAC addresses.
- Link-local addresses stay link-local (169.254.0.0/16, fe80::/64) with a mapped host part.
- ${a.payload === 'cut' ? 'Payloads beyond the TCP/UDP/ICMP headers are cut: each packet keeps its headers and its original length on the wire (pcap orig_len, IP lengths), so Wireshark shows "Packet size limited during capture".' : 'Payloads were kept as captured.'}
  ${a.dns === 'rewrite' ? 'DNS, mDNS, LLMNR, NBNS and DHCP messages are kept with their names; address records, address options and client hardware addresses are rewritten; other record types and options (TXT, host names in DHCP, vendor data) are dropped.' : 'DNS-family messages are cut after the UDP header.'}
- Whatever the rewriter does not understand (unknown protocols, IPv4 options, unknown TCP options,
  IPv6 routing headers) is cut or replaced by padding, never passed through. ${a.packetsCut} packets keep fewer bytes than were captured.
- Checksums (IP, TCP, UDP, ICMP, ICMPv6, and those inside ICMP quotes) were recomputed, or for cut
  packets updated so they are right for the anonymized packet on the wire.
- \`scanlab verify-anon\` searched every file of this folder for every original address and MAC
  in every encoding (raw bytes, dotted, hex with any separator, reversed-DNS, EUI-64) and found none.

What was not anonymized: timestamps, packet sizes, ports, TCP sequence numbers and options kept
by the whitelist (MSS, window scale, SACK, timestamps), IP TTL and ID, DNS names. Traffic
patterns can still identify software and timing.

## Loading

pandas:

\`\`\`python
import pandas as pd
packets = pd.read_csv("packets.csv")
labels = pd.read_csv("labels.csv")
df = packets.merge(labels, left_on="No.", right_on="no")
print(df.groupby(["label", "Protocol"]).size())

flows = pd.read_csv("flows.csv")
print(flows.groupby("Label")[["Total Fwd Packets", "Total Backward Packets"]].sum())
\`\`\`

Wireshark / tshark: open \`capture.pcap\`; frame numbers equal \`no\` in labels.csv, e.g.
\`tshark -r capture.pcap -Y "frame.number == 42"\`.

DuckDB:

\`\`\`sql
SELECT l.label, p.Protocol, count(*) AS packets
FROM read_csv_auto('packets.csv') p JOIN read_csv_auto('labels.csv') l ON p."No." = l.no
GROUP BY ALL ORDER BY packets DESC;
\`\`\`

Tools: ${Object.entries(m.tools).map(([k, v]) => `${k} ${v}`).join(', ')}.
`;
}
