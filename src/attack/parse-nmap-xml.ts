// Reads what a step found from nmap's XML output (-oX): ports with state and service, and
// whether nmap finished (a run that was stopped leaves no <runstats>).

export interface NmapPort {
  readonly protocol: string;
  readonly port: number;
  readonly state: string;
  readonly service?: string;
  readonly product?: string;
  readonly version?: string;
}

export interface NmapXmlSummary {
  readonly finished: boolean;
  readonly ports: NmapPort[];
  readonly osMatches: string[];
  readonly hostsUp: number;
}

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

export function parseNmapXml(xml: string): NmapXmlSummary {
  const ports: NmapPort[] = [];
  for (const match of xml.matchAll(/<port\b([^>]*)>([\s\S]*?)<\/port>/g)) {
    const [, head, body] = match;
    const state = /<state\b[^>]*>/.exec(body)?.[0] ?? '';
    const service = /<service\b[^>]*>/.exec(body)?.[0] ?? '';
    ports.push({
      protocol: attr(head, 'protocol') ?? '?',
      port: Number(attr(head, 'portid')),
      state: attr(state, 'state') ?? 'unknown',
      service: attr(service, 'name'),
      product: attr(service, 'product'),
      version: attr(service, 'version'),
    });
  }
  const osMatches = [...xml.matchAll(/<osmatch\b[^>]*name="([^"]*)"/g)].map((m) => m[1]);
  const hosts = /<hosts\b[^>]*up="(\d+)"/.exec(xml);
  return { finished: /<runstats>/.test(xml) && /<finished\b/.test(xml), ports, osMatches, hostsUp: hosts ? Number(hosts[1]) : 0 };
}
