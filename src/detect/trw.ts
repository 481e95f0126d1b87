// Threshold random walk (Jung, Paxson, Berger, Balakrishnan: "Fast Portscan Detection Using
// Sequential Hypothesis Testing", IEEE S&P 2004). Per source, each first contact updates the
// likelihood ratio Λ: a success multiplies it by θ1/θ0, a failure by (1-θ1)/(1-θ0). With θ0 = 0.8
// (benign success probability), θ1 = 0.2 (scanner), α = 0.01 and β = 0.99 the thresholds are
// η1 = β/α = 99 (scanner) and η0 = (1-β)/(1-α) ≈ 0.0101 (benign): four failures in a row make a
// scanner, four successes a benign host. After a benign decision the walk starts again at Λ = 1
// (so a host that turns to scanning later is still caught); a scanner stays a scanner.
//
// Unit of first contact: Jung counts each distinct destination host once ('host'). A vantage point
// with one victim never sees more than one host per scanner, so by default each distinct service
// (host, protocol, port) counts once ('service'); 'host' is Jung's original.
// Prediction: every packet to or from a scanner from the start of the walk that convicted it on.
// Score: 1 for those packets; otherwise the higher endpoint's peak log-likelihood ratio over
// log η1, in [0, 1). θ, α and β are Jung's, never fitted to any capture.
import { connectionAttempts, type ConnectionAttempts, type DecodedPackets } from './connections.ts';
import type { BaselineDetection } from './baseline-detection.ts';

export interface TrwOptions {
  /** P(success | benign). */
  readonly theta0: number;
  /** P(success | scanner). */
  readonly theta1: number;
  /** Target false-positive probability. */
  readonly alpha: number;
  /** Target detection probability. */
  readonly beta: number;
  readonly unit: 'service' | 'host';
}

export const JUNG_PARAMETERS: TrwOptions = { theta0: 0.8, theta1: 0.2, alpha: 0.01, beta: 0.99, unit: 'service' };

export function trwThresholds(o: Pick<TrwOptions, 'alpha' | 'beta'>): { eta0: number; eta1: number } {
  return { eta0: (1 - o.beta) / (1 - o.alpha), eta1: o.beta / o.alpha };
}

/** Per packet: score, decision and the convicted sources' address ids. */
export function trwDetector(decoded: DecodedPackets, options: Partial<TrwOptions> = {}, attempts?: ConnectionAttempts): BaselineDetection {
  const o = { ...JUNG_PARAMETERS, ...options };
  const a = attempts ?? connectionAttempts(decoded);
  const peaks = new Map<number, number>();
  const scanners = trwScanners(a, o, peaks);
  const logEta1 = Math.log(trwThresholds(o).eta1);
  const c = decoded.columns;
  const scores = new Float64Array(decoded.packets);
  const flagged = new Uint8Array(decoded.packets);
  const score = (host: number, time: number): number => {
    const convicted = scanners.get(host);
    if (convicted !== undefined && time >= convicted) return 1;
    return Math.min(0.999, Math.max(0, (peaks.get(host) ?? 0) / logEta1));
  };
  for (let i = 0; i < decoded.packets; i++) {
    const s = Math.max(score(c.src[i], c.time[i]), score(c.dst[i], c.time[i]));
    scores[i] = s;
    if (s >= 1) flagged[i] = 1;
  }
  return { scores, flagged, hosts: new Set(scanners.keys()) };
}

/** Scanner address id -> time its convicting walk started. */
/** `peaks`, when given, gets each source's highest log-likelihood ratio. */
export function trwScanners(a: ConnectionAttempts, o: TrwOptions, peaks?: Map<number, number>): Map<number, number> {
  const { eta0, eta1 } = trwThresholds(o);
  const logEta0 = Math.log(eta0);
  const logEta1 = Math.log(eta1);
  const stepSuccess = Math.log(o.theta1 / o.theta0);
  const stepFailure = Math.log((1 - o.theta1) / (1 - o.theta0));
  const logRatio = new Map<number, number>();
  const walkStart = new Map<number, number>();
  const contacted = new Set<string>();
  const scanners = new Map<number, number>();
  for (let k = 0; k < a.count; k++) {
    const src = a.initiator[k];
    if (scanners.has(src)) continue;
    const unit = o.unit === 'host' ? `${src}>${a.responder[k]}` : `${src}>${a.responder[k]}/${a.ipProto[k]}/${a.port[k]}`;
    if (contacted.has(unit)) continue;
    contacted.add(unit);
    if (!walkStart.has(src)) walkStart.set(src, a.start[k]);
    const l = (logRatio.get(src) ?? 0) + (a.success[k] ? stepSuccess : stepFailure);
    if (peaks && l > (peaks.get(src) ?? 0)) peaks.set(src, l);
    if (l >= logEta1) scanners.set(src, walkStart.get(src)!);
    else if (l <= logEta0) {
      logRatio.delete(src);
      walkStart.delete(src);
    } else logRatio.set(src, l);
  }
  return scanners;
}
