// report.html: written from a run directory's files alone, self-contained, and it renders every
// chart in a real (headless) Chromium without console errors.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeReport } from '../../src/report/write-report.ts';
import { analyzeCapture, analyzeCaptureKeepingRows } from '../../src/analysis/analyze-capture.ts';
import { writeSyntheticRun, type SyntheticRun } from './synthetic-run.ts';
import { hasChromium, loadPage, screenshot } from './chromium.ts';

const OUT = resolve('test/out');
let root: string;
let run: SyntheticRun;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'scanlab-report-'));
  run = writeSyntheticRun(join(root, '20260101-120000-synthetic'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function embeddedData(html: string) {
  const m = /<script id="report-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(m![1]);
}

describe('writeReport', () => {
  test('without analysis.json it clusters for itself and says so', async () => {
    // Given a run directory with capture.pcap and labels.csv only
    // When the report is written
    const path = await writeReport(run.dir);
    // Then it is report.html in that directory, with the data inlined
    expect(path).toBe(join(run.dir, 'report.html'));
    const data = embeddedData(readFileSync(path, 'utf8'));
    expect(data.summary).toMatchObject({ packets: run.packets, scan: run.scan, benign: run.packets - run.scan, dropped: 0 });
    expect(Object.keys(data.pca).sort()).toEqual(['host-window', 'kaggle-flow', 'sds-window']);
    expect(data.notes.join(' ')).toMatch(/no analysis\.json/);
    expect(data.talkers[0].address).toBe('198.18.0.10');
    // and detects for itself: the same detectors and scores as an analysis of the run
    const analysis = analyzeCapture({ pcapPath: join(run.dir, 'capture.pcap'), labelsPath: join(run.dir, 'labels.csv'), seed: 1 });
    expect(data.detection.detectors.map((d: { name: string }) => d.name)).toEqual(Object.keys(analysis.detectors));
    for (const d of data.detection.detectors) expect(d.packets).toEqual(JSON.parse(JSON.stringify(analysis.detectors[d.name].packets)));
  });

  test('detection comes with every detector\'s scores, and the timeline shows the best packet F1\'s decisions', async () => {
    // Given an analysis of the run
    const analyzed = analyzeCaptureKeepingRows({ pcapPath: join(run.dir, 'capture.pcap'), labelsPath: join(run.dir, 'labels.csv'), seed: 2 });
    writeFileSync(join(run.dir, 'analysis.json'), JSON.stringify(analyzed.result));
    // When the report is written from the files alone
    const data = embeddedData(readFileSync(await writeReport(run.dir), 'utf8'));
    rmSync(join(run.dir, 'analysis.json'));
    // Then each detector's packet scores, hosts, time to detect and false alarms are the analysis'
    const recorded = analyzed.result.detectors;
    expect(data.detection.detectors.map((d: { name: string }) => d.name)).toEqual(Object.keys(recorded));
    for (const d of data.detection.detectors) {
      expect(d).toMatchObject(JSON.parse(JSON.stringify({ packets: recorded[d.name].packets, hosts: recorded[d.name].hosts, timeToDetectMs: recorded[d.name].timeToDetectMs, falseAlarmsPerHour: recorded[d.name].falseAlarmsPerHour, rule: recorded[d.name].rule })));
    }
    // And the timeline shows the detector with the best packet F1, and says it was chosen for display
    const best = Object.entries(recorded).reduce((a, b) => (b[1].packets!.f1 > a[1].packets!.f1 ? b : a))[0];
    expect(data.detection.shown).toBe(best);
    expect(data.detection.why).toMatch(/best packet F1.*for this plot only/);
    // its flags per shown packet are the analysis' decisions (the detector run again from the files)
    const kept = analyzed.rows.detections.get(best)!;
    const step = data.timeline.step;
    const expected = data.timeline.t.map((_: number, j: number) => (analyzed.rows.judged[j * step] ? kept.flagged[j * step] : -1));
    expect(data.timeline.flagged).toEqual(expected);
    expect(data.timeline.flagged.filter((f: number) => f === 1).length).toBeGreaterThan(0);
  });

  test('with analysis.json its scores are the analysis\' and its clusters match the recorded sizes', async () => {
    const analysis = analyzeCapture({ pcapPath: join(run.dir, 'capture.pcap'), labelsPath: join(run.dir, 'labels.csv'), seed: 5 });
    writeFileSync(join(run.dir, 'analysis.json'), JSON.stringify(analysis));
    const data = embeddedData(readFileSync(await writeReport(run.dir), 'utf8'));
    for (const [name, set] of Object.entries(analysis.featureSets)) {
      const score = data.scores.find((s: { name: string }) => s.name === name);
      expect(score.byPackets).toEqual(set.metricsByPackets);
      const packetsPerCluster = data.confusion[name].map((c: { scan: number; benign: number }) => c.scan + c.benign).sort((a: number, b: number) => b - a);
      expect(packetsPerCluster).toEqual([...set.clusterPackets].sort((a, b) => b - a));
    }
    rmSync(join(run.dir, 'analysis.json'));
  });

  test('written with the rows of an analysis in the same process, it is the report written from the files alone', async () => {
    // Given an analysis that kept its rows and clusters, and its analysis.json
    const analyzed = analyzeCaptureKeepingRows({ pcapPath: join(run.dir, 'capture.pcap'), labelsPath: join(run.dir, 'labels.csv'), seed: 3 });
    writeFileSync(join(run.dir, 'analysis.json'), JSON.stringify(analyzed.result));
    // When the report is written from the files, then again from the kept rows
    const fromFiles = embeddedData(readFileSync(await writeReport(run.dir), 'utf8'));
    const fromRows = embeddedData(readFileSync(await writeReport(run.dir, analyzed.rows), 'utf8'));
    // Then both hold the same data, clusters and scores (only the time of writing differs)
    expect({ ...fromRows, generated: undefined }).toEqual({ ...fromFiles, generated: undefined });
    expect(Object.keys(fromRows.pca).sort()).toEqual(['host-window', 'kaggle-flow', 'sds-window']);
    rmSync(join(run.dir, 'analysis.json'));
  });

  test('is self-contained: no external script, style or font is fetched', async () => {
    const html = readFileSync(await writeReport(run.dir), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
    expect(html).toContain('echarts');
  });

  test('refuses a directory without a capture, naming it', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    await expect(writeReport(empty)).rejects.toThrow(/has no capture\.pcap/);
  });
});

describe.runIf(hasChromium)('report.html in headless Chromium', () => {
  test('draws every chart with no console errors, and a screenshot is kept in test/out', async () => {
    // Given a written report
    const path = await writeReport(run.dir);
    // When Chromium loads it
    const page = await loadPage(path);
    // Then the script ran to the end, drew its charts and recorded no error
    const body = /<body([^>]*)>/.exec(page.dom)?.[1] ?? '';
    expect(body).toContain('data-ready="true"');
    expect(body).toMatch(/data-errors=""/);
    // 2 histograms + 3 timelines (label, the shown detector's flags, clusters) + 2 per feature set (PCA) + 1 per feature set (confusion) + talkers + graph
    expect(Number(/data-charts="(\d+)"/.exec(body)?.[1])).toBe(16);
    // detection comes first, then separation, each under its own title
    const text = page.dom.replace(/<[^>]+>/g, ' ');
    const detection = text.indexOf('Scores per detector');
    const separation = text.indexOf('Separation');
    expect(detection).toBeGreaterThan(0);
    expect(separation).toBeGreaterThan(detection);
    expect(text.indexOf('Scores per feature set')).toBeGreaterThan(separation);
    expect(text).toMatch(/not a detection score/);
    // the detection table has a row per detector with its base rate beside precision
    const table = /<table class="detection">[\s\S]*?<\/table>/.exec(page.dom)?.[0] ?? '';
    expect(table.match(/<tr class="detector">/g)?.length).toBe(embeddedData(readFileSync(path, 'utf8')).detection.detectors.length);
    expect(text).toMatch(/base rate\s+precision\s+recall\s+F1\s+ROC-AUC\s+PR-AUC/);
    expect(text).toMatch(/flagged by \S+/);
    expect(page.dom).toMatch(/<canvas/);
    // the report logs nothing: any console line is an error or a warning from a chart
    expect(page.console).toEqual([]);
    mkdirSync(OUT, { recursive: true });
    const png = join(OUT, 'report.png');
    await screenshot(path, png);
    expect(existsSync(png) && statSync(png).size > 10_000).toBe(true);
  });
});
