// How a generator tells the agent about each connection or socket it opens: the ground truth
// (benign-flows.jsonl) that keeps an attacking host's benign traffic labelled benign.

export interface FlowReporter {
  /** Reports a flow as open and returns its id. */
  open(protocol: 'tcp' | 'udp', localPort: number, remote: string, remotePort: number): number;
  close(id: number): void;
}
