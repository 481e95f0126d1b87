// The run view: phases as a checklist, live packet counters and rate, each attack step's nmap
// progress, the benign generators' activity per host, elapsed and remaining time.

import { Box, Text } from 'ink';
import type { PhaseState, RunViewState, StepState } from '../run-state.ts';
import { currentRate, elapsedMs, isActive, remainingMs } from '../run-state.ts';
import { bar, clock, formatBytes, formatCount, sparkline, truncate } from '../format.ts';
import { formatDuration } from '../../scenario/duration.ts';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function spinnerFrame(now: number): string {
  return SPINNER[Math.floor(now / 100) % SPINNER.length];
}

export interface RunViewProps {
  state: RunViewState;
  width: number;
  /** Rows available; what is left below the panels shows the latest log lines. */
  height?: number;
  error?: string;
}

export function RunView({ state, width, height = 0, error }: RunViewProps) {
  const spin = spinnerFrame(state.now);
  const phasesWidth = 26;
  const right = width - phasesWidth - 3;
  const active = isActive(state);
  const summary = state.summary;
  return (
    <Box flexDirection="column">
      <Box paddingX={1} justifyContent="space-between">
        <Text>
          <Text bold color="cyan">
            {state.scenario}
          </Text>
          <Text dimColor> {truncate(state.runDir ?? '', Math.max(0, width - state.scenario.length - 40))}</Text>
        </Text>
        <Text>
          elapsed <Text bold>{clock(elapsedMs(state))}</Text>
          {active ? (
            <>
              {'  '}remaining <Text bold>{remainingMs(state) > 0 ? `~${clock(remainingMs(state))}` : 'finishing'}</Text>
            </>
          ) : null}
          {state.stopping && active ? <Text color="yellow">  stopping…</Text> : null}
        </Text>
      </Box>
      <Box flexDirection="row" marginTop={1}>
        <Box flexDirection="column" width={phasesWidth} marginRight={2} paddingX={1}>
          <Text bold>Phases</Text>
          {state.phases.map((p) => (
            <PhaseLine key={p.name} phase={p} spin={spin} />
          ))}
        </Box>
        <Box flexDirection="column" width={right}>
          <Packets state={state} width={right} />
          <Box flexDirection="column" marginTop={1}>
            <Text bold>Attack steps</Text>
            {state.steps.length === 0 ? <Text dimColor>  none</Text> : state.steps.map((s) => <StepLine key={s.name} step={s} spin={spin} width={right} />)}
          </Box>
          <Box flexDirection="column" marginTop={1}>
            <Text bold>Benign traffic</Text>
            <Activity state={state} width={right} />
          </Box>
          <Alerts state={state} width={right} />
        </Box>
      </Box>
      <Log state={state} width={width} rows={logRows(state, height, error)} />
      {error ? (
        <Box paddingX={1} marginTop={1}>
          <Text color="red">✖ {error}</Text>
        </Box>
      ) : null}
      {summary ? (
        <Box paddingX={1} marginTop={1}>
          <Text>
            run <Text bold color={summary.status === 'ok' ? 'green' : summary.status === 'interrupted' ? 'yellow' : 'red'}>{summary.status}</Text>
            {summary.message ? <Text dimColor> — {truncate(summary.message, width - 20)}</Text> : null}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}

function PhaseLine({ phase, spin }: { phase: PhaseState; spin: string }) {
  const mark = { pending: '·', running: spin, ok: '✔', failed: '✖', skipped: '–', 'not-run': '–' }[phase.status];
  const color = { pending: 'gray', running: 'cyan', ok: 'green', failed: 'red', skipped: 'gray', 'not-run': 'gray' }[phase.status];
  const right =
    phase.status === 'running' && phase.progress
      ? `${phase.progress.done}/${phase.progress.total}`
      : phase.durationMs !== undefined && phase.status !== 'running'
        ? formatDuration(phase.durationMs)
        : phase.status === 'not-run'
          ? 'not run'
          : '';
  return (
    <Text color={phase.status === 'pending' || phase.status === 'not-run' ? 'gray' : undefined}>
      <Text color={color}>{mark}</Text> {phase.name.padEnd(11)} <Text dimColor>{right}</Text>
    </Text>
  );
}

function Packets({ state, width }: { state: RunViewState; width: number }) {
  const rate = currentRate(state);
  const summary = state.summary;
  return (
    <Box flexDirection="column">
      <Text bold>Packets on the victim</Text>
      <Text>
        {'  '}total <Text bold>{formatCount(state.packets)}</Text>
        <Text dimColor>  {formatBytes(state.bytes)}</Text>
        {'   '}
        {summary ? (
          <>
            scan <Text bold color="red">{formatCount(summary.scan)}</Text>  benign <Text bold color="green">{formatCount(summary.benign)}</Text>
          </>
        ) : (
          <Text dimColor>scan/benign after labelling</Text>
        )}
        {'   '}
        <Text color={state.dropped > 0 ? 'red' : undefined} bold={state.dropped > 0}>
          dropped {formatCount(state.dropped)}
        </Text>
      </Text>
      <Text>
        {'  '}
        <Text color="cyan">{sparkline(state.perSecond, Math.max(10, width - 22), 20).padEnd(Math.max(10, width - 22))}</Text> <Text bold>{formatCount(rate)}</Text>
        <Text dimColor> pkt/s</Text>
      </Text>
    </Box>
  );
}

function StepLine({ step, spin, width }: { step: StepState; spin: string; width: number }) {
  const mark = step.status === 'running' ? spin : step.status === 'ok' ? '✔' : step.status === 'pending' ? '·' : '✖';
  const color = step.status === 'running' ? 'cyan' : step.status === 'ok' ? 'green' : step.status === 'pending' ? 'gray' : step.status === 'interrupted' ? 'yellow' : 'red';
  const barWidth = Math.max(10, Math.min(30, width - 50));
  let tail = '';
  if (step.status === 'running') tail = `${step.remainingSeconds ? `ETA ${clock(step.remainingSeconds * 1000)}  ` : ''}${step.nmapPhase ?? 'starting'}`;
  else if (step.status === 'ok') tail = `${step.durationMs !== undefined ? formatDuration(step.durationMs) : ''}, ${step.openPorts ?? 0} open ports`;
  else if (step.status !== 'pending') tail = `${step.status}${step.message ? `: ${step.message}` : ''}`;
  return (
    <Box flexDirection="column">
    <Text>
      {'  '}
      <Text color={color}>{mark}</Text> {truncate(step.name, 16).padEnd(16)} <Text color={color}>{bar(step.percent, barWidth)}</Text> {String(Math.round(step.percent)).padStart(3)}%{' '}
      <Text dimColor>{truncate(tail, Math.max(0, width - barWidth - 28))}</Text>
    </Text>
    {step.command ? <Text dimColor>{'    '}{truncate(step.command, width - 4)}</Text> : null}
    </Box>
  );
}

function Activity({ state, width }: { state: RunViewState; width: number }) {
  const hosts = Object.entries(state.activity);
  if (hosts.length === 0) return <Text dimColor>  {state.phases.find((p) => p.name === 'traffic')?.status === 'ok' ? 'waiting for the first report' : 'not started'}</Text>;
  return (
    <>
      {hosts.map(([host, counters]) => {
        const kinds = Object.entries(counters);
        const bytes = kinds.reduce((sum, [, c]) => sum + c.bytes, 0);
        const failures = kinds.reduce((sum, [, c]) => sum + c.failures, 0);
        const text = kinds.map(([kind, c]) => `${kind} ${c.sessions}`).join(' · ');
        return (
          <Text key={host}>
            {'  '}
            {host.padEnd(10)} {truncate(text, Math.max(10, width - 36)).padEnd(Math.max(10, width - 36))} <Text dimColor>{formatBytes(bytes).padStart(9)}</Text>
            {failures > 0 ? <Text color="yellow"> {failures} failed</Text> : null}
          </Text>
        );
      })}
    </>
  );
}

const ALERT_ROWS = 4;

/** Live detection: per attack step detected or not yet, then the latest alerts. */
function Alerts({ state, width }: { state: RunViewState; width: number }) {
  const started = state.steps.filter((s) => s.startedAt !== undefined);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>
        Live alerts <Text dimColor>{state.alertCount > 0 ? `${formatCount(state.alertCount)} so far` : 'none yet'}</Text>
      </Text>
      {started.map((s) => (
        <Text key={s.name}>
          {'  '}
          {truncate(s.name, 16).padEnd(16)}{' '}
          {s.detectedAfterMs !== undefined ? (
            <Text color="green">detected after {(s.detectedAfterMs / 1000).toFixed(1)} s <Text dimColor>({s.detectedBy})</Text></Text>
          ) : (
            <Text color="yellow">not yet detected</Text>
          )}
        </Text>
      ))}
      {state.alerts.slice(-ALERT_ROWS).map((a, i) => (
        <Text key={i} dimColor>
          {'  '}
          {truncate(`${a.detector} ${a.src}${a.dst ? ` → ${a.dst}` : ''} score ${a.score.toFixed(1)}, ${(a.lagMs / 1000).toFixed(1)} s after its packets`, width - 2)}
        </Text>
      ))}
    </Box>
  );
}

/** Rows left for the log once the header, the panels, an error and the status line are drawn. */
function logRows(state: RunViewState, height: number, error?: string): number {
  const steps = state.steps.reduce((n, s) => n + (s.command ? 2 : 1), 0) || 1;
  const hosts = Math.max(1, Object.keys(state.activity).length);
  const alerts = 2 + state.steps.filter((s) => s.startedAt !== undefined).length + Math.min(ALERT_ROWS, state.alerts.length);
  const panels = Math.max(1 + state.phases.length, 3 + 2 + steps + 2 + hosts + alerts);
  const used = 2 + panels + (error ? 2 : 0) + (state.summary ? 2 : 0) + 2;
  return Math.max(0, height - used);
}

function Log({ state, width, rows }: { state: RunViewState; width: number; rows: number }) {
  if (rows < 2 || state.log.length === 0) return null;
  const start = state.startedAt ?? state.log[0].time;
  const lines = state.log.slice(-(rows - 1));
  return (
    <Box flexDirection="column" paddingX={1} marginTop={1}>
      <Text bold>Log</Text>
      {lines.map((l, i) => (
        <Text key={i} color={l.tone === 'bad' ? 'red' : l.tone === 'warn' ? 'yellow' : undefined} dimColor={!l.tone}>
          <Text dimColor>{clock(l.time - start).padStart(5)} </Text>
          {truncate(l.text, width - 8)}
        </Text>
      ))}
    </Box>
  );
}
