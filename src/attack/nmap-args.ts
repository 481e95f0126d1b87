// Checks a scenario's nmap options before anything runs: the scope guard. nmap must only ever
// reach the lab's own hosts, so options that choose targets by themselves, spoof outside
// addresses or bounce through third parties are refused, and targets are scanlab's to fill in.

import { UserError } from '../errors.ts';
import { isPublicAddress, outOfScope } from '../lab/scope.ts';
import { canonicalV6, isInLabRange6 } from '../lab/addresses.ts';

/** Options whose value is the next token when it is not attached (`-p 80` or `-p80`). */
const SHORT_WITH_VALUE = new Set(['-p', '-D', '-S', '-e', '-g', '-T', '-iL', '-iR', '-sI', '-b', '-oN', '-oX', '-oS', '-oG', '-oA', '-M']);
/** Longest first, so -sI wins over a hypothetical -s. */
const SHORT_BY_LENGTH = [...SHORT_WITH_VALUE].sort((a, b) => b.length - a.length);
const LONG_WITH_VALUE = new Set([
  '--exclude', '--excludefile', '--dns-servers', '--exclude-ports', '--top-ports', '--port-ratio',
  '--version-intensity', '--script', '--script-args', '--script-args-file', '--script-help', '--script-timeout',
  '--min-hostgroup', '--max-hostgroup', '--min-parallelism', '--max-parallelism', '--min-rtt-timeout',
  '--max-rtt-timeout', '--initial-rtt-timeout', '--max-retries', '--host-timeout', '--scan-delay',
  '--max-scan-delay', '--min-rate', '--max-rate', '--mtu', '--source-port', '--proxies', '--proxy', '--data',
  '--data-string', '--data-length', '--ip-options', '--ttl', '--spoof-mac', '--stats-every', '--datadir',
  '--servicedb', '--versiondb', '--max-os-tries', '--scanflags', '--resume', '--stylesheet', '--log-errors-file',
]);

/** Options scanlab sets itself or that would take nmap outside the lab. */
const REFUSED: Record<string, string> = {
  '-iR': 'it scans random Internet hosts',
  '-iL': 'it reads targets from a file; list the lab hosts under targets: instead',
  '--resume': 'it continues a scan with targets from an old log',
  '-b': 'an FTP bounce scan goes through a third-party server',
  '--proxies': 'proxies are outside the lab',
  '--proxy': 'proxies are outside the lab',
  '-oN': 'scanlab writes attack/<step>.xml and .log itself',
  '-oX': 'scanlab writes attack/<step>.xml itself',
  '-oS': 'scanlab writes attack/<step>.log itself',
  '-oG': 'scanlab writes attack/<step>.xml and .log itself',
  '-oA': 'scanlab writes attack/<step>.xml and .log itself',
  '--stats-every': 'scanlab sets it to show progress',
  '--excludefile': 'targets are scanlab\'s to fill in',
  '--script-args-file': 'scripts read their arguments from the scenario only',
  '--datadir': 'nmap\'s own data files are used',
};

/** True when the options ask for an IPv6 scan (-6): scanlab then fills in the targets' IPv6 addresses. */
export function isIpv6Scan(options: string | readonly string[]): boolean {
  return (typeof options === 'string' ? splitArguments(options) : options).includes('-6');
}

/** Whether an address (any text form of IPv6) is one of the lab's. */
function inLabSet(address: string, labAddresses: ReadonlySet<string>): boolean {
  if (!address.includes(':')) return labAddresses.has(address);
  const canonical = canonicalV6(address);
  return canonical !== undefined && isInLabRange6(canonical) && [...labAddresses].some((a) => canonicalV6(a) === canonical);
}

/** The zombie of -sI zombie[:port]: [v6]:port, v6 alone, or v4[:port]. */
function zombieAddress(value: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1];
  return (value.match(/:/g) ?? []).length > 1 ? value : value.split(':')[0];
}

export function splitArguments(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) tokens.push(match[1] ?? match[2] ?? match[3]);
  return tokens;
}

function refuse(message: string, hint: string): never {
  throw new UserError(message, hint);
}

/**
 * Validates nmap options (without targets) against the lab's addresses. Returns the tokens.
 * Throws UserError naming the option and why it is refused.
 */
export function checkNmapArguments(text: string, labAddresses: ReadonlySet<string>): string[] {
  const tokens = splitArguments(text);
  const inLab = (address: string) => inLabSet(address, labAddresses);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token.startsWith('-')) {
      refuse(`"${token}" looks like a target inside the nmap options`, 'targets go under targets: as host names; scanlab fills in their lab addresses');
    }
    let option: string;
    let value: string | undefined;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      option = eq < 0 ? token : token.slice(0, eq);
      value = eq < 0 ? undefined : token.slice(eq + 1);
    } else {
      // Short options may carry their value attached: -p80, -T4, -D198.18.0.12,ME.
      const prefix = SHORT_BY_LENGTH.find((o) => token.startsWith(o));
      option = prefix ?? token;
      value = prefix && token.length > prefix.length ? token.slice(prefix.length) : undefined;
    }
    if (REFUSED[option]) refuse(`nmap option ${option} is refused: ${REFUSED[option]}`, 'remove it from the step\'s nmap: line');
    if ((LONG_WITH_VALUE.has(option) || SHORT_WITH_VALUE.has(option)) && value === undefined) {
      value = tokens[++i];
      if (value === undefined) refuse(`nmap option ${option} needs a value`, `e.g. ${option} <value>`);
    }
    if (option === '-D') {
      for (const decoy of value!.split(',')) {
        if (decoy === 'ME') continue;
        if (/^RND/.test(decoy)) refuse(`decoy ${decoy} is refused: random decoys are addresses outside the lab`, 'name lab addresses (198.18.x.y of the scenario\'s hosts) as decoys');
        if (!inLab(decoy)) refuse(`decoy ${decoy} is not an address of this lab`, `decoys must be lab hosts: ${[...labAddresses].join(', ')}`);
      }
    }
    if ((option === '-S' || option === '-sI') && !inLab(option === '-S' ? value! : zombieAddress(value!))) {
      refuse(`nmap option ${option} ${value} names an address outside this lab`, `use a lab host's address: ${[...labAddresses].join(', ')}`);
    }
    if (option === '--script' && /broadcast|targets-|\bexternal\b|\ball\b/.test(value!)) {
      refuse(`nmap scripts "${value}" are refused: broadcast, target-discovery and external scripts reach outside the lab`, 'pick scripts that only talk to the target, e.g. --script default');
    }
    if (option === '--dns-servers') {
      for (const server of value!.split(',')) if (!inLab(server)) refuse(`DNS server ${server} is outside this lab`, 'use -n (scanlab adds it) or a lab host');
    }
  }
  return tokens;
}

/**
 * Scope guard for the targets scanlab fills in: each is a lab host's address (an IPv6 one inside
 * 2001:2::/48), and all of one family: IPv6 with -6, IPv4 without.
 */
export function checkTargets(targets: readonly string[], labAddresses: ReadonlySet<string>, ipv6 = false): void {
  for (const target of targets) {
    if (!inLabSet(target, labAddresses)) {
      const why = target.includes(':') && !isInLabRange6(target) ? ' (lab IPv6 addresses are in 2001:2::/48)' : '';
      throw new UserError(`target ${target} is not a host of this lab${why}; scanlab only scans its own lab`, `lab hosts: ${[...labAddresses].join(', ')}`);
    }
    if (target.includes(':') !== ipv6) {
      throw new UserError(ipv6 ? `target ${target} is IPv4, but the options have -6 (an IPv6 scan)` : `target ${target} is IPv6, but the options lack -6`,
        ipv6 ? 'an IPv6 step scans the hosts\' IPv6 addresses only' : 'add -6 to the step\'s nmap: line to scan IPv6 addresses');
    }
  }
}

/** Scope guard of a lab of real machines: every target must lie inside its declared scope. */
export function checkScope(targets: readonly string[], scope: readonly string[]): void {
  for (const target of targets) {
    const why = outOfScope(target, scope);
    if (why) {
      throw new UserError(`target ${why} (${scope.join(', ')}); scanlab scans only what the lab's owner declared`,
        isPublicAddress(target) ? `if you own ${target} and may scan it, add it to lab.scope as ${target}/32` : `add its range to lab.scope, or remove the target`);
    }
  }
}
