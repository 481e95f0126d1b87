#!/usr/bin/env bash
# A capture scanlab did not make, for measuring its detectors with --train-until: tcpdump on the
# loopback interface while loopback-traffic.py (test/fixtures/captures) talks to local servers;
# after 25 s of that, an nmap SYN scan and a UDP scan of 127.0.0.1 from 127.0.0.66 (loopback
# only, never another target). Needs root, tcpdump, nmap, openssl, curl, Debian's python3.
# Usage: bash bench/outside-capture.sh OUT.pcap
set -euo pipefail
out=$(realpath -m "${1:-/tmp/scanlab-outside.pcap}")
cd "$(dirname "$0")/../test/fixtures/captures"
tmp=$(mktemp -d)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 1 -subj /CN=127.0.0.1 2>/dev/null
/usr/bin/python3 -m http.server 80 --bind 127.0.0.1 >/dev/null 2>&1 & http=$!
openssl s_server -quiet -accept 127.0.0.1:443 -cert "$tmp/cert.pem" -key "$tmp/key.pem" -www >/dev/null 2>&1 & tls=$!
trap 'kill $http $tls 2>/dev/null || true; rm -rf "$tmp"' EXIT
sleep 1
tcpdump -Z root -i lo -w "$out" >/dev/null 2>&1 & td=$!
sleep 1
/usr/bin/python3 loopback-traffic.py 80 & traffic=$!
sleep 25
nmap -n -Pn -sS -S 127.0.0.66 -e lo -p 1-1000 127.0.0.1 >/dev/null
nmap -n -Pn -sU -S 127.0.0.66 -e lo -p 100-140 --max-retries 0 127.0.0.1 >/dev/null
wait $traffic
sleep 1
kill $td; wait $td || true
echo "$out"
