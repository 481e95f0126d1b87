// What an external detector said, read from its own output format (scanlab-csv, Suricata EVE,
// Zeek notice.log, p0f): one alert per line or event, before it is matched to the capture's
// packets. Each reader (src/detect/external/formats/) fills what its format carries and leaves
// the rest undefined; matching (per packet, per flow or per host) follows from what is there.
export interface ExternalAlert {
  /** 1-based frame number in the judged pcap (scanlab-csv `no`, Suricata `pcap_cnt`). */
  readonly packetNo?: number;
  /** Absolute time, seconds since the Unix epoch (UTC), as precise as the format gives it. */
  readonly time?: number;
  /** How far `time` may be from the packets it covers, seconds (p0f logs whole local seconds). */
  readonly timeTolerance?: number;
  readonly src?: string;
  readonly dst?: string;
  readonly sport?: number;
  readonly dport?: number;
  /** 'tcp' | 'udp' | 'icmp' | 'icmpv6' | other lower-case protocol names. */
  readonly proto?: string;
  /** Suricata flow_id: alerts of one flow share it. */
  readonly flowId?: string;
  /** Higher is more scan-like; a reader without one leaves it undefined (counts as 1). */
  readonly score?: number;
  /** False for a per-packet score line that the detector did not flag (scanlab-csv `flagged` 0). */
  readonly flagged?: boolean;
  /** True when the format names a host, not packets (Zeek notices, p0f scan fingerprints). */
  readonly hostLevel?: boolean;
  /** The detector's own words: signature, notice name, p0f app. */
  readonly what?: string;
  /** Where in the output it came from, for messages: "eve.json line 12". */
  readonly where?: string;
}
