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
import { connectionAttempts, type ConnectionAttempt, type ConnectionAttempts, type DecodedPackets } from './connections.ts';
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
  const walk = trwWalkOf(attempts ?? connectionAttempts(decoded), { ...JUNG_PARAMETERS, ...options });
  const c = decoded.columns;
  const scores = new Float64Array(decoded.packets);
  const flagged = new Uint8Array(decoded.packets);
  for (let i = 0; i < decoded.packets; i++) {
    const s = Math.max(walk.score(c.src[i], c.time[i]), walk.score(c.dst[i], c.time[i]));
    scores[i] = s;
    if (s >= 1) flagged[i] = 1;
  }
  return { scores, flagged, hosts: new Set(walk.scanners.keys()) };
}

/** Offline: every attempt of the capture, in order of its first packet. */
function trwWalkOf(a: ConnectionAttempts, o: TrwOptions): TrwWalk {
  const walk = new TrwWalk(o);
  for (let k = 0; k < a.count; k++) {
    walk.add({ initiator: a.initiator[k], responder: a.responder[k], ipProto: a.ipProto[k], port: a.port[k], start: a.start[k], success: a.success[k] ? 1 : 0 });
  }
  return walk;
}

/** The walks of every source, fed one resolved attempt at a time (offline in start order, online as they resolve). */
export class TrwWalk {
  /** Scanner address id -> time (start of its first attempt) its convicting walk started. */
  readonly scanners = new Map<number, number>();
  /** Per source: its highest log-likelihood ratio so far. */
  readonly peaks = new Map<number, number>();
  private readonly logEta0: number;
  private readonly logEta1: number;
  private readonly stepSuccess: number;
  private readonly stepFailure: number;
  private readonly logRatio = new Map<number, number>();
  private readonly walkStart = new Map<number, number>();
  private readonly contacted = new Set<string>();

  constructor(private readonly o: TrwOptions) {
    const { eta0, eta1 } = trwThresholds(o);
    this.logEta0 = Math.log(eta0);
    this.logEta1 = Math.log(eta1);
    this.stepSuccess = Math.log(o.theta1 / o.theta0);
    this.stepFailure = Math.log((1 - o.theta1) / (1 - o.theta0));
  }

  /** One attempt's outcome; true when it convicted its initiator. Only a first contact of a unit counts. */
  add(a: ConnectionAttempt): boolean {
    const src = a.initiator;
    if (this.scanners.has(src)) return false;
    const unit = this.o.unit === 'host' ? `${src}>${a.responder}` : `${src}>${a.responder}/${a.ipProto}/${a.port}`;
    if (this.contacted.has(unit)) return false;
    this.contacted.add(unit);
    if (!this.walkStart.has(src)) this.walkStart.set(src, a.start);
    const l = (this.logRatio.get(src) ?? 0) + (a.success ? this.stepSuccess : this.stepFailure);
    if (l > (this.peaks.get(src) ?? 0)) this.peaks.set(src, l);
    if (l >= this.logEta1) {
      this.scanners.set(src, this.walkStart.get(src)!);
      return true;
    }
    if (l <= this.logEta0) {
      this.logRatio.delete(src);
      this.walkStart.delete(src);
    } else this.logRatio.set(src, l);
    return false;
  }

  /**
   * 1 for a convicted source from the start of its convicting walk on (`time`, capture seconds;
   * the default counts any time); otherwise its peak log ratio over log η1, in [0, 1).
   */
  score(host: number, time = Infinity): number {
    const convicted = this.scanners.get(host);
    if (convicted !== undefined && time >= convicted) return 1;
    return Math.min(0.999, Math.max(0, (this.peaks.get(host) ?? 0) / this.logEta1));
  }
}
