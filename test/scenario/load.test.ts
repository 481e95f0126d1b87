import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScenario, parseScenario } from '../../src/scenario/load.ts';
import { UserError } from '../../src/errors.ts';
import { PROJECT_ROOT } from '../helpers/env.ts';

const BAD = join(PROJECT_ROOT, 'test/fixtures/scenarios/bad');
const SCENARIOS = join(PROJECT_ROOT, 'scenarios');

describe('broken scenario files', () => {
  test.each(readdirSync(BAD).sort())('%s is refused with file:line and what to do', (file) => {
    // Given a scenario with one mistake
    const text = readFileSync(join(BAD, file), 'utf8');
    // When it is loaded
    let error: unknown;
    try {
      parseScenario(text, `bad/${file}`);
    } catch (e) {
      error = e;
    }
    // Then it is a user error (exit 2) naming the file and line, and the text is stable
    expect(error).toBeInstanceOf(UserError);
    const userError = error as UserError;
    expect(userError.exitCode).toBe(2);
    expect(userError.message).toMatch(new RegExp(`^bad/${file}:\\d+`));
    expect(`${userError.message}\nhint: ${userError.hint}`).toMatchSnapshot();
  });

  test('the error points at the line of the offending field', () => {
    const error = (() => {
      try {
        parseScenario(readFileSync(join(BAD, 'unknown-field.yaml'), 'utf8'), 'f.yaml');
      } catch (e) {
        return e as UserError;
      }
    })();
    expect(error?.message).toContain('f.yaml:6:');
    expect(error?.message).toContain('"colour"');
  });

  test('a missing file is a user error naming it', () => {
    expect(() => loadScenario('/nonexistent/scenario.yaml')).toThrow(/scenario \/nonexistent\/scenario.yaml does not exist/);
  });
});

describe('shipped scenarios', () => {
  test.each(readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')))('%s loads, with lab addresses and a description', (file) => {
    const scenario = loadScenario(join(SCENARIOS, file));
    expect(scenario.description.length).toBeGreaterThan(40);
    for (const host of scenario.hosts) expect(host.address).toMatch(/^198\.1[89]\./);
    // IPv6 only where the file asks for it, and then from 2001:2::/48
    const ipv6 = scenario.lab.kind === 'netns' && scenario.lab.ipv6 === true;
    for (const host of scenario.hosts) expect(host.address6 === undefined ? undefined : host.address6.startsWith('2001:2::')).toBe(ipv6 ? true : undefined);
    expect(scenario.victim.role).toBe('victim');
  });

  test('lab: { ipv6: true } is a namespace lab whose hosts also get IPv6 addresses, numbered like their IPv4 ones', () => {
    const scenario = loadScenario(join(SCENARIOS, 'ipv6-discovery.yaml'));
    expect(scenario.lab).toEqual({ kind: 'netns', ipv6: true });
    expect(scenario.hosts.map((h) => [h.address, h.address6])).toEqual([
      ['198.18.0.10', '2001:2::a'], ['198.18.0.11', '2001:2::b'], ['198.18.0.12', '2001:2::c'], ['198.18.0.13', '2001:2::d'], ['198.18.0.14', '2001:2::e'],
    ]);
  });

  test('--seed overrides the file and defaults are filled in', () => {
    const scenario = loadScenario(join(SCENARIOS, 'quick.yaml'), { seed: 99 });
    expect(scenario.seed).toBe(99);
    expect(scenario.capture.snaplen).toBe(262144);
    expect(scenario.attacks[0].timeout).toBe(120_000);
  });
});

describe('concurrent attack steps', () => {
  test('a step marked concurrent joins the group of the step before it; groups run in order', async () => {
    const { stepGroups } = await import('../../src/engine/step-groups.ts');
    const scenario = loadScenario(join(SCENARIOS, 'distributed.yaml'));
    // Given three slices, the second and third marked concurrent
    const groups = stepGroups(scenario.attacks);
    // Then they start together, each from its own host
    expect(groups.map((g) => g.map((s) => s.name))).toEqual([['slice-1', 'slice-2', 'slice-3']]);
    expect(new Set(groups[0].map((s) => s.from)).size).toBe(3);
    expect(stepGroups([{ concurrent: false }, { concurrent: true }, { concurrent: false }]).map((g) => g.length)).toEqual([2, 1]);
  });

  test('the first step cannot be concurrent', () => {
    const text = `name: t\ndescription: d\nhosts:\n  - { name: victim, role: victim }\n  - { name: attacker, role: attacker }\nattacks:\n  - { name: a, targets: [victim], nmap: "-sS -p 1", concurrent: true }\n`;
    expect(() => parseScenario(text, 't.yaml')).toThrow(/t\.yaml:7: the first step has no step before it/);
  });
});
