// The bench view: overall progress with elapsed time and ETA, the run going on now (scenario,
// repeat, the engine's phase), a live table of the finished runs with each detector's scan F1 and
// the latest log lines. Once the bench is over, the runs, the leaderboard and the files written
// are printed once, above the prompt (<Static>), so they stay on the terminal after the view ends.

import { Box, Static, Text } from 'ink';
import { basename } from 'node:path';
import type { BenchOutcome, BenchViewState, FinishedRun } from '../bench-state.ts';
import { benchActive, benchElapsedMs, benchEtaMs, benchPercent } from '../bench-state.ts';
import { bar, clock, formatCount, truncate } from '../format.ts';
import { spinnerFrame } from './RunView.tsx';

export interface BenchViewProps {
  state: BenchViewState;
  width: number;
  /** Rows the live view may use; the finished-runs table and the log shrink to fit. */
  height?: number;
}

/** Rows the live view uses besides the table's rows and the log. */
const FIXED_ROWS = 8;
const MAX_LOG_LINES = 5;

export function BenchView({ state, width, height = 40 }: BenchViewProps) {
  if (state.outcome) return <Final state={state} outcome={state.outcome} width={width} />;
  const tableRoom = Math.max(1, height - FIXED_ROWS);
  const tableRows = Math.min(tableRoom, Math.max(1, state.finished.length));
  const logRoom = height - FIXED_ROWS - tableRows - 2;
  const logLines = Math.max(0, Math.min(MAX_LOG_LINES, logRoom, state.log.length));
  return (
    <Box flexDirection="column" width={width}>
      <Header state={state} width={width} />
      <Progress state={state} width={width} />
      <Current state={state} width={width} />
      <Box flexDirection="column" marginTop={1} paddingX={1}>
        <Text bold>Finished runs</Text>
        <RunsTable runs={state.finished} detectors={state.detectors} width={width - 2} rows={tableRows} />
      </Box>
      {logLines > 0 ? (
        <Box flexDirection="column" marginTop={1} paddingX={1}>
          {state.log.slice(-logLines).map((l, i) => (
            <Text key={i} color={l.tone === 'bad' ? 'red' : l.tone === 'warn' ? 'yellow' : undefined} dimColor={!l.tone}>
              {truncate(l.text, width - 2)}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

function Header({ state, width }: { state: BenchViewState; width: number }) {
  const eta = benchEtaMs(state);
  const what = `${state.total} run${state.total === 1 ? '' : 's'} · ${state.detectors.join(', ')}`;
  return (
    <Box paddingX={1} justifyContent="space-between">
      <Text>
        <Text bold color="cyan">
          bench
        </Text>
        <Text dimColor> {truncate(what, Math.max(0, width - 40))}</Text>
      </Text>
      <Text>
        elapsed <Text bold>{clock(benchElapsedMs(state))}</Text>
        {benchActive(state) ? (
          <>
            {'  '}ETA <Text bold>{eta === undefined ? 'estimating' : eta > 0 ? `~${clock(eta)}` : 'finishing'}</Text>
          </>
        ) : null}
      </Text>
    </Box>
  );
}

function Progress({ state, width }: { state: BenchViewState; width: number }) {
  const percent = benchPercent(state);
  const counts = `${state.done}/${state.total}`;
  const barWidth = Math.max(10, width - counts.length - 12);
  const color = state.error ? 'red' : state.stopping ? 'yellow' : 'cyan';
  return (
    <Box paddingX={1} marginTop={1}>
      <Text>
        <Text color={color}>{bar(percent, barWidth)}</Text> <Text bold>{counts}</Text> {`${Math.floor(percent)}%`.padStart(4)}
      </Text>
    </Box>
  );
}

function Current({ state, width }: { state: BenchViewState; width: number }) {
  if (state.error) {
    return (
      <Box paddingX={1} marginTop={1}>
        <Text color="red">✖ {truncate(state.error, width - 4)}</Text>
      </Box>
    );
  }
  const c = state.current;
  if (!c) {
    return (
      <Box paddingX={1} marginTop={1}>
        <Text dimColor>{state.stopping ? 'stopping: writing the runs done so far…' : state.done === 0 ? 'starting…' : 'next run…'}</Text>
      </Box>
    );
  }
  const run = c.repeat === null ? `${c.scenario} ${basename(c.label)}` : `${c.scenario} #${c.repeat}`;
  const phase = c.phase ? `${c.phase}${c.detail ? `: ${c.detail}` : ''}` : 'starting';
  const tail = `${c.packets !== undefined ? `${formatCount(c.packets)} packets · ` : ''}${clock(state.now - c.startedAt)}`;
  const room = Math.max(10, width - run.length - tail.length - 24);
  return (
    <Box paddingX={1} marginTop={1}>
      <Text>
        <Text color={state.stopping ? 'yellow' : 'cyan'}>{spinnerFrame(state.now)}</Text> now <Text bold>{run}</Text>
        <Text dimColor> (run {c.index + 1} of {state.total})</Text>
        {'  '}
        {truncate(phase, room)}
        <Text dimColor>  {tail}</Text>
        {state.stopping ? <Text color="yellow">  stopping…</Text> : null}
      </Text>
    </Box>
  );
}

/** Scan F1 as the table shows it: – where it means nothing (no scan packets) or is unknown. */
function f1(run: FinishedRun, detector: string): string {
  const v = run.scanF1[detector];
  return run.scanPackets === 0 || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(3);
}

/** The table's columns for a width: full detector names and the time when they fit, else narrower. */
function tableLayout(detectors: readonly string[], width: number): { nameWidth: number; widths: number[]; time: boolean } {
  const layouts = [
    { widths: detectors.map((d) => Math.max(d.length, 5)), time: true },
    { widths: detectors.map(() => 6), time: true },
    { widths: detectors.map(() => 6), time: false },
  ];
  // '#', repeat, packets and scan columns and the gaps between all columns
  const fixedOf = (l: { widths: number[]; time: boolean }) => 3 + 2 + 2 + 3 + 2 + 9 + 2 + 7 + l.widths.reduce((s, w) => s + w + 2, 0) + (l.time ? 8 : 0);
  const layout = layouts.find((l) => fixedOf(l) + 8 <= width) ?? layouts[layouts.length - 1];
  return { ...layout, nameWidth: Math.max(8, Math.min(28, width - fixedOf(layout))) };
}

export function RunsTable({ runs, detectors, width, rows }: { runs: readonly FinishedRun[]; detectors: readonly string[]; width: number; rows?: number }) {
  const { nameWidth, widths, time } = tableLayout(detectors, width);
  const header = ['#'.padStart(3), 'scenario'.padEnd(nameWidth), 'rep'.padStart(3), 'packets'.padStart(9), 'scan'.padStart(7), ...detectors.map((d, i) => truncate(d, widths[i]).padStart(widths[i])), ...(time ? ['time'.padStart(6)] : [])].join('  ');
  if (runs.length === 0) {
    return (
      <>
        <Text dimColor>{truncate(header, width)}</Text>
        <Text dimColor>{'    '}none yet</Text>
      </>
    );
  }
  const limit = rows ?? runs.length;
  const hidden = runs.length > limit ? runs.length - (limit - 1) : 0;
  const shown = hidden > 0 ? runs.slice(hidden) : runs;
  return (
    <>
      <Text dimColor>{truncate(header, width)}</Text>
      {hidden > 0 ? <Text dimColor>{'  '}… {hidden} earlier</Text> : null}
      {shown.map((run, i) => {
        const n = hidden + i + 1;
        const name = run.repeat === null ? `${run.scenario} ${basename(run.label)}` : run.scenario;
        const lead = [String(n).padStart(3), truncate(name, nameWidth).padEnd(nameWidth), (run.repeat === null ? '–' : `#${run.repeat}`).padStart(3)].join('  ');
        if (run.failure) {
          return (
            <Text key={n} wrap="truncate-end">
              {lead}  <Text color="red">{truncate(`not scored: ${run.failure}`, Math.max(10, width - lead.length - 2))}</Text>
            </Text>
          );
        }
        const values = detectors.map((d) => f1(run, d));
        const best = Math.max(...detectors.map((d) => (run.scanPackets ? (run.scanF1[d] ?? -1) : -1)));
        return (
          <Text key={n} wrap="truncate-end">
            {lead}  {formatCount(run.packets ?? 0).padStart(9)}  {formatCount(run.scanPackets ?? 0).padStart(7)}
            {values.map((v, j) => (
              <Text key={detectors[j]} color={best >= 0 && run.scanF1[detectors[j]] === best ? 'green' : undefined}>
                {'  '}
                {v.padStart(widths[j])}
              </Text>
            ))}
            {time ? <Text dimColor>{'  '}{clock(run.durationMs).padStart(6)}</Text> : null}
          </Text>
        );
      })}
    </>
  );
}

function Final({ state, outcome, width }: { state: BenchViewState; outcome: BenchOutcome; width: number }) {
  const took = clock(benchElapsedMs(state));
  const headline = outcome.interrupted
    ? `bench interrupted after ${state.done} of ${state.total} runs (${took}); the results so far are written`
    : `bench done: ${outcome.runs} run${outcome.runs === 1 ? '' : 's'} scored in ${took}`;
  const tone = outcome.runs === 0 ? 'red' : outcome.interrupted || outcome.failures > 0 ? 'yellow' : 'green';
  return (
    <Static items={[outcome]}>
      {(o) => (
        <Box key="final" flexDirection="column" width={width} paddingX={1}>
          <Text>
            <Text bold color={tone}>
              {headline}
            </Text>
            {o.failures > 0 ? <Text color="red"> · {o.failures} not scored</Text> : null}
          </Text>
          {state.finished.length > 0 ? (
            <Box flexDirection="column" marginTop={1}>
              <Text bold>Runs</Text>
              <RunsTable runs={state.finished} detectors={state.detectors} width={width - 2} />
            </Box>
          ) : null}
          <Box flexDirection="column" marginTop={1}>
            <Text bold>Leaderboard</Text>
            {o.runs === 0 ? <Text color="red">no run could be scored</Text> : o.leaderboard.trimEnd().split('\n').map((line, i) => <Text key={i}>{line || ' '}</Text>)}
          </Box>
          <Box flexDirection="column" marginTop={1}>
            <Text bold>Written</Text>
            {[o.files.json, o.files.csv, o.files.html, o.files.markdown].map((f) => (
              <Text key={f}>  {f}</Text>
            ))}
          </Box>
        </Box>
      )}
    </Static>
  );
}
