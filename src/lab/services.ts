// Real services from Debian's packages inside a host's namespace, so nmap -sV has real banners
// to identify: nginx (HTTP, HTTPS with a throwaway certificate), OpenSSH, dnsmasq.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResultPromise } from 'execa';
import { execa } from 'execa';
import { nsSpawn, nsRun } from './netns.ts';
import type { LabNode } from './lab.ts';
import type { Service } from '../scenario/schema.ts';
import { RunFailure } from '../errors.ts';

/** Bytes of the file bulk transfers fetch from /bulk.bin. */
export const BULK_FILE_BYTES = 8 * 1024 * 1024;
/** Every name under this zone resolves to the DNS server's host. */
export const LAB_DNS_ZONE = 'lab.test';

export interface RunningService {
  readonly name: string;
  readonly host: string;
  readonly process: ResultPromise;
}

/** Where each service listens. */
export const SERVICE_PORTS: Record<Service, { port: number; proto: 'tcp' | 'udp' }> = {
  http: { port: 80, proto: 'tcp' },
  https: { port: 443, proto: 'tcp' },
  ssh: { port: 22, proto: 'tcp' },
  dns: { port: 53, proto: 'udp' },
  'udp-sink': { port: 5004, proto: 'udp' },
};

export async function startServices(node: LabNode, services: readonly Service[], workDir: string, sshClientKey: string): Promise<RunningService[]> {
  const dir = join(workDir, node.name);
  mkdirSync(dir, { recursive: true });
  const running: RunningService[] = [];
  const web = services.filter((s) => s === 'http' || s === 'https');
  if (web.length > 0) running.push(await startNginx(node, dir, web.includes('http'), web.includes('https')));
  if (services.includes('ssh')) running.push(await startSshd(node, dir, sshClientKey));
  if (services.includes('dns')) running.push(startDnsmasq(node, dir));
  for (const service of services) {
    if (service === 'udp-sink') continue; // served by the traffic agent
    await waitForPort(node, SERVICE_PORTS[service].port, SERVICE_PORTS[service].proto, service);
  }
  return running;
}

async function startNginx(node: LabNode, dir: string, http: boolean, https: boolean): Promise<RunningService> {
  const root = join(dir, 'www');
  mkdirSync(root, { recursive: true });
  mkdirSync(join(dir, 'nginx-tmp'), { recursive: true });
  writeFileSync(join(root, 'index.html'), `<!doctype html><title>${node.name}</title><h1>${node.name}</h1>${'<p>lab page</p>'.repeat(40)}\n`);
  // A deterministic bulk file: compressible data would look unlike a real download.
  const bulk = Buffer.alloc(BULK_FILE_BYTES);
  for (let i = 0, x = 2463534242; i < bulk.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bulk[i] = x & 0xff;
  }
  writeFileSync(join(root, 'bulk.bin'), bulk);
  if (https) {
    await execa('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', `/CN=${node.name}.${LAB_DNS_ZONE}`, '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt')]);
  }
  // Each of the host's addresses: its IPv4 one and, in an IPv6 lab, its IPv6 one.
  const hosts = [node.address, ...(node.address6 ? [`[${node.address6}]`] : [])];
  const listen = [
    ...(http ? hosts.map((h) => `listen ${h}:80;`) : []),
    ...(https ? hosts.map((h) => `listen ${h}:443 ssl;`) : []),
    https ? `ssl_certificate ${dir}/tls.crt; ssl_certificate_key ${dir}/tls.key;` : '',
  ].join(' ');
  const tmp = join(dir, 'nginx-tmp');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1; user root; pid ${dir}/nginx.pid; error_log ${dir}/nginx-error.log; daemon off;
events { worker_connections 256; }
http { access_log off; client_body_temp_path ${tmp}; proxy_temp_path ${tmp}; fastcgi_temp_path ${tmp};
  uwsgi_temp_path ${tmp}; scgi_temp_path ${tmp}; types { text/html html; application/octet-stream bin; }
  server { ${listen} root ${root}; } }
`,
  );
  const process = nsSpawn(node.namespace, 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  return { name: 'nginx', host: node.name, process };
}

async function startSshd(node: LabNode, dir: string, clientKey: string): Promise<RunningService> {
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  writeFileSync(join(dir, 'authorized_keys'), `${clientKey}\n`, { mode: 0o600 });
  mkdirSync('/run/sshd', { recursive: true });
  writeFileSync(
    join(dir, 'sshd_config'),
    `Port 22
ListenAddress ${node.address}
${node.address6 ? `ListenAddress ${node.address6}\n` : ''}HostKey ${hostKey}
PidFile ${dir}/sshd.pid
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
AuthorizedKeysFile ${dir}/authorized_keys
StrictModes no
`,
  );
  const process = nsSpawn(node.namespace, '/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
  return { name: 'sshd', host: node.name, process };
}

function startDnsmasq(node: LabNode, dir: string): RunningService {
  const process = nsSpawn(
    node.namespace,
    'dnsmasq',
    ['--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--no-dhcp-interface=eth0',
      '--user=root', '--group=root', `--listen-address=${node.address}`, ...(node.address6 ? [`--listen-address=${node.address6}`] : []), '--bind-interfaces', `--pid-file=${dir}/dnsmasq.pid`,
      `--address=/${LAB_DNS_ZONE}/${node.address}`, '--log-facility=/dev/null'],
    { stdio: 'ignore' },
  );
  return { name: 'dnsmasq', host: node.name, process };
}

/** Waits until something listens on the port inside the namespace (ss), at most 10 s. */
async function waitForPort(node: LabNode, port: number, proto: 'tcp' | 'udp', service: string): Promise<void> {
  const flag = proto === 'tcp' ? '-ltnH' : '-lunH';
  for (let i = 0; i < 200; i++) {
    const out = await nsRun(node.namespace, 'ss', [flag, `sport = :${port}`]);
    if (out.trim()) return;
    await sleep(50);
  }
  throw new RunFailure(`${service} did not start listening on ${node.address}:${port}/${proto} within 10 s`);
}

/** A key pair for the lab's SSH clients (private to the lab's work dir). */
export async function makeSshClientKey(workDir: string): Promise<{ privateKey: string; publicKey: string }> {
  const path = join(workDir, 'client_ed25519');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'scanlab-client', '-f', path]);
  return { privateKey: path, publicKey: readFileSync(`${path}.pub`, 'utf8').trim() };
}
