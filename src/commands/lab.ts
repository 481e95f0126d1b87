// scanlab lab up [scenario.yaml] | down [LAB-ID...] [--all] | status

import { parseCommandLine } from './args.ts';
import { UserError } from '../errors.ts';
import { findLeftLabs, Lab, leftLabsMessage, listLabs, removeLabs } from '../lab/lab.ts';
import { markKept } from '../lab/lab-owner.ts';
import { requireNamespaces } from '../lab/prerequisites.ts';
import { cleanUpRecord, listRecords } from '../lab/ssh-lab-record.ts';
import { loadScenario } from '../scenario/load.ts';
import type { CommandIO } from './io.ts';

const USAGE = 'usage: scanlab lab up [scenario.yaml] | scanlab lab down <lab-id>... | scanlab lab down --all | scanlab lab status';

export default async function labCommand(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandLine('lab', args, { all: { type: 'boolean', default: false } }, USAGE);
  const [action, ...rest] = positionals;
  await requireNamespaces();
  const say = (line: string) => io.stdout.write(`${line}\n`);
  switch (action) {
    case 'up': {
      const scenario = loadScenario(rest[0] ?? 'scenarios/quick.yaml');
      await sayLeftLabs(say);
      const lab = new Lab();
      await lab.up(scenario.hosts);
      markKept(lab.workDir);
      say(`lab ${lab.id} is up (scenario ${scenario.name}); hosts:`);
      for (const node of lab.nodes.values()) say(`  ${node.name.padEnd(12)} ${node.address.padEnd(15)} ip netns exec ${node.namespace} bash`);
      say(`remove it with: scanlab lab down ${lab.id}`);
      return 0;
    }
    case 'down': {
      if (!values.all && rest.length === 0) throw new UserError('say which lab to remove, or --all', USAGE);
      const removed = await removeLabs(values.all ? undefined : rest);
      // SSH labs a killed run left: stop their remote processes by the ids recorded here.
      const problems: string[] = [];
      for (const record of listRecords().filter((r) => values.all || rest.includes(r.id))) {
        const left = await cleanUpRecord(record);
        problems.push(...left);
        if (left.length === 0) removed.push(record.id);
      }
      say(removed.length ? `removed ${removed.join(', ')}` : 'no scanlab lab was left on this machine');
      for (const problem of problems) say(`could not clean up ${problem}`);
      const missing = rest.filter((id) => !removed.includes(id) && !problems.some((p) => p.includes(id)));
      if (missing.length) throw new UserError(`no lab named ${missing.join(', ')}`, 'see scanlab lab status');
      return problems.length > 0 ? 1 : 0;
    }
    case 'status': {
      const labs = await listLabs();
      const sshLabs = listRecords();
      if (labs.size === 0 && sshLabs.length === 0) say('no scanlab lab on this machine');
      const left = await findLeftLabs();
      for (const [id, namespaces] of labs) say(`${id}: ${namespaces.length} namespaces (${namespaces.join(' ')})${left.has(id) ? ', left by a scanlab that is no longer running' : ''}`);
      for (const r of sshLabs) say(`${r.id}: SSH lab of scenario ${r.scenario} since ${r.createdAt}, ${r.processes.length} remote processes (${r.hosts.map((h) => `${h.name}=${h.destination}`).join(' ')})`);
      if (left.size > 0) say(leftLabsMessage([...left.keys()]));
      return 0;
    }
    default:
      throw new UserError(action ? `unknown lab action "${action}"` : 'no lab action given', USAGE);
  }
}

async function sayLeftLabs(say: (line: string) => void): Promise<void> {
  const left = await findLeftLabs();
  if (left.size > 0) say(`note: ${leftLabsMessage([...left.keys()])}`);
}
