// Text forms of addresses: dotted IPv4, RFC 5952 IPv6, colon MAC. Pure conversions.

export function v4ToText(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

export function v4FromText(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** RFC 5952 text (lower case, longest zero run compressed). */
export function v6ToText(b: Uint8Array, o = 0): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[o + 2 * i] << 8) | b[o + 2 * i + 1]);
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Fully expanded form: eight groups of four hex digits. */
export function v6ToFullText(b: Uint8Array, o = 0): string {
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(((b[o + 2 * i] << 8) | b[o + 2 * i + 1]).toString(16).padStart(4, '0'));
  return groups.join(':');
}

export function v6FromText(text: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === '') return [];
    const words = s.split(':');
    const res: number[] = [];
    for (const w of words) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return undefined;
      res.push(parseInt(w, 16));
    }
    return res;
  };
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1 && head.length !== 8) return undefined;
  if (head.length + tail.length > (halves.length === 2 ? 7 : 8)) return undefined;
  const words = [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
  words.forEach((w, i) => { out[2 * i] = w >> 8; out[2 * i + 1] = w & 0xff; });
  return out;
}

export function macToText(b: Uint8Array, o = 0): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(b[o + i].toString(16).padStart(2, '0'));
  return parts.join(':');
}

export function macFromText(text: string): Uint8Array | undefined {
  const m = /^([0-9a-fA-F]{2})[:-]?([0-9a-fA-F]{2})[:-]?([0-9a-fA-F]{2})[:-]?([0-9a-fA-F]{2})[:-]?([0-9a-fA-F]{2})[:-]?([0-9a-fA-F]{2})$/.exec(text);
  if (!m) return undefined;
  return Uint8Array.from(m.slice(1).map((h) => parseInt(h, 16)));
}

export function bytesToHex(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += b[o + i].toString(16).padStart(2, '0');
  return s;
}

/** Parses "10.0.0.0/8" or "fd00::/8" into network bytes and prefix length. */
export function parseCidr(text: string): { family: 4 | 6; bytes: Uint8Array; prefix: number } | undefined {
  const [addr, len] = text.split('/');
  const prefix = Number(len);
  if (!Number.isInteger(prefix) || len === undefined) return undefined;
  const v4 = v4FromText(addr);
  if (v4 !== undefined) {
    if (prefix < 1 || prefix > 30) return undefined;
    return { family: 4, bytes: Uint8Array.of(v4 >>> 24, (v4 >>> 16) & 0xff, (v4 >>> 8) & 0xff, v4 & 0xff), prefix };
  }
  const v6 = v6FromText(addr);
  if (v6 && prefix >= 1 && prefix <= 120) return { family: 6, bytes: v6, prefix };
  return undefined;
}
