#!/usr/bin/env bash
# tshark export the pandas references read: one line per packet, tab separated, first occurrence
# of each field (ICMP errors quote an inner IP/TCP/UDP header), no name resolution.
set -euo pipefail
tshark -n -r "$1" -T fields -E header=y -E separator=/t -E occurrence=f \
  -e frame.number -e frame.time_relative -e frame.len -e _ws.col.Source -e _ws.col.Destination -e _ws.col.Protocol \
  -e ip.proto -e ipv6.nxt -e ip.len -e ip.hdr_len -e ipv6.plen -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport \
  -e tcp.flags -e tcp.len -e udp.length -e icmp.type -e icmpv6.type 2>/dev/null
