#!/usr/bin/env bash
# Installs what scanlab needs and is missing, then the npm dependencies. Safe to run again:
# it does nothing when everything is there. Called by `npm run demo`, `npm test`, `npm run setup`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: the lab's tools and services, libpcap for the capture, the references the
# tests and benchmarks compare against (tshark, tcpdump, tcprewrite, scikit-learn, Chromium).
PACKAGES=(
  iproute2 ethtool procps iputils-ping        # namespaces, offloads, sysctls, ping traffic
  nmap libpcap-dev tcpdump tshark tcpreplay p0f  # attacks, capture, reference tools, p0f (a third-party detector the bench runs)
  build-essential                              # compiler for the libpcap binding (node-gyp)
  nginx-light openssh-server openssh-client dnsmasq-base openssl curl  # lab services and clients
  bind9-dnsutils                               # dig: DNS traffic on SSH-lab hosts (and its tests)
  python3 python3-sklearn python3-pandas       # reference implementations for tests and bench
  chromium tmux                                # report rendering and terminal tests
  argus-server time                            # bench: argus flow reference, GNU time's peak RSS
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${PACKAGES[@]}"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]]; then missing+=("$pkg"); fi
  done
fi

if ((${#missing[@]} > 0)); then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "scanlab setup: this system has no apt-get. Install these with your package manager:" >&2
    echo "  ${missing[*]}" >&2
    exit 2
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "scanlab setup: missing packages: ${missing[*]}" >&2
    echo "  run as root (sudo npm run setup), or: sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
  echo "scanlab setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# sshd wants its privilege-separation directory.
mkdir -p /run/sshd 2>/dev/null || true

# npm dependencies, with the native libpcap binding built (allowScripts in package.json); again
# when package-lock.json changed since the last install (e.g. after a pull).
if [[ ! -f node_modules/.package-lock.json ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]] || ! node -e "require('pcap')" >/dev/null 2>&1; then
  echo "scanlab setup: installing npm dependencies"
  if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
fi
