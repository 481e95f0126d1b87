// How patient scanlab is with an SSH host, read from the environment so a lab on a flaky link (or
// a test that breaks one on purpose) can tune it. The defaults suit a real LAN or Wi-Fi: a dead
// link is noticed within about 20 s (a short stall is not one), and a host has 30 s to come back
// before teardown gives up on it and leaves the rest to `scanlab lab down <id>`.

import { UserError } from '../errors.ts';

export interface SshSettings {
  /** Seconds between ssh's keep-alives on a quiet connection (ServerAliveInterval). */
  readonly aliveIntervalS: number;
  /** Keep-alives left unanswered before ssh drops the connection (ServerAliveCountMax). */
  readonly aliveCount: number;
  /** Seconds to wait for a host to accept a connection (ConnectTimeout). */
  readonly connectTimeoutS: number;
  /** How long teardown keeps trying to log in again to a host whose connection broke. */
  readonly reconnectMs: number;
}

interface Setting {
  readonly name: string;
  readonly key: keyof SshSettings;
  readonly fallback: number;
  readonly min: number;
  readonly unit: string;
}

export const SSH_SETTINGS: readonly Setting[] = [
  { name: 'SCANLAB_SSH_ALIVE_INTERVAL', key: 'aliveIntervalS', fallback: 5, min: 1, unit: 'seconds' },
  { name: 'SCANLAB_SSH_ALIVE_COUNT', key: 'aliveCount', fallback: 3, min: 1, unit: 'keep-alives' },
  { name: 'SCANLAB_SSH_CONNECT_TIMEOUT', key: 'connectTimeoutS', fallback: 5, min: 1, unit: 'seconds' },
  { name: 'SCANLAB_SSH_RECONNECT_MS', key: 'reconnectMs', fallback: 30_000, min: 0, unit: 'milliseconds' },
];

/** The settings in force; a variable that is set but not a whole number in range is a UserError naming it. */
export function sshSettings(env: NodeJS.ProcessEnv = process.env): SshSettings {
  const settings: Partial<Record<keyof SshSettings, number>> = {};
  for (const s of SSH_SETTINGS) {
    const raw = env[s.name];
    if (raw === undefined || raw.trim() === '') {
      settings[s.key] = s.fallback;
      continue;
    }
    const value = Number(raw.trim());
    if (!Number.isSafeInteger(value) || value < s.min) {
      throw new UserError(`${s.name}=${JSON.stringify(raw)} is not valid: it takes a whole number of ${s.unit}, at least ${s.min}`, `set ${s.name} to a whole number such as ${s.fallback} (the default), or unset it`);
    }
    settings[s.key] = value;
  }
  return settings as SshSettings;
}

/** What ssh's silent exit 255 after its keep-alives went unanswered means, said to the user. */
export function unansweredKeepAlives(settings: SshSettings): string {
  // ssh gives up at the check after aliveCount unanswered keep-alives, one interval later.
  const silentS = settings.aliveIntervalS * (settings.aliveCount + 1);
  return `no answer to ssh's keep-alives for ${silentS} s: ServerAliveInterval=${settings.aliveIntervalS}, ServerAliveCountMax=${settings.aliveCount}`;
}
