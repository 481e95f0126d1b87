#!/usr/bin/python3
"""A user's own detector for scanlab: a scikit-learn novelty detector over per-packet rows.

    python3 novelty_detector.py TRAIN.pcap CAPTURE.pcap OUT.csv [--model lof|iforest] [--seed N]

scanlab runs it as `/usr/bin/python3 novelty_detector.py {train} {pcap} {out}` (detectors.yaml
here): {train} is the attack-free part of the capture (a run's warm-up, --train-until or
--train), {pcap} the capture to judge, {out} where its alerts go. It never sees labels.

1. tshark reads each capture into one row per frame (time, length, addresses, ports, TCP flags, ICMP type):
   the same reading works on any pcap, scanlab's or not.
2. Each packet is described by what its conversation (the unordered pair of hosts) did in the
   same one-second window: packets, distinct port pairs, mean length, share of bare SYNs, of
   RSTs and of ICMP errors. No address is a feature (that would learn who the attacker is, not
   what a scan looks like). A port scan is many port pairs, bare SYNs and RSTs per second
   between two hosts; browsing is a few connections carrying data.
3. The model is fitted on TRAIN only (standardized with TRAIN's means and deviations):
   - lof (default): LocalOutlierFactor(novelty=True), scikit-learn's defaults (20 neighbours),
     fitted on the distinct training rows (copies of one point make LOF's scores meaningless);
   - iforest: IsolationForest, for comparison. It is weak here for a reason worth knowing: its
     splits fall only within the range it saw in training, so a value far beyond that range
     (30 ports a second where training saw 5) scores no more anomalous than the training
     extremes. A scan is exactly such a value.
   A packet is flagged when its score is above the 99.5th percentile of the training packets'
   scores: a threshold from the training part alone (about 0.5 % of benign traffic like the
   training part is flagged), never from the capture being judged.
   The model, features and threshold were chosen on runs of scanlab's
   test/detect/external/fixtures/p0f-lab.yaml, not on the scenarios its leaderboard reports.
4. OUT is scanlab-csv, one line per frame of CAPTURE: `no,score,flagged` (higher score = more
   anomalous; flagged 0/1).

Needs Debian's python3-sklearn, python3-pandas and tshark (scanlab's lab/setup.sh installs them).
"""
import argparse
import subprocess
import sys

import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest
from sklearn.neighbors import LocalOutlierFactor
from sklearn.preprocessing import StandardScaler

FIELDS = [
    "frame.number", "frame.time_epoch", "frame.len",
    "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
    "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "tcp.flags",
    "icmp.type", "icmpv6.type",
]
SYN, RST, ACK = 0x02, 0x04, 0x10
THRESHOLD_QUANTILE = 0.995
MIN_TRAINING_PACKETS = 50
MIN_DISTINCT_ROWS = 5


def fail(message):
    print(f"novelty_detector.py: {message}", file=sys.stderr)
    sys.exit(2)


def read_packets(pcap):
    """One row per frame of the pcap, as tshark reads it (first occurrence of each field, so the
    IP header quoted inside an ICMP error does not count)."""
    args = ["tshark", "-n", "-r", pcap, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for field in FIELDS:
        args += ["-e", field]
    try:
        result = subprocess.run(args, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        fail("tshark is not installed (apt-get install tshark)")
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        fail(f"tshark could not read {pcap}: {last}")
    rows = [line.split("\t") for line in result.stdout.splitlines() if line]
    frame = pd.DataFrame(rows, columns=FIELDS)
    number = lambda col: pd.to_numeric(frame[col], errors="coerce")
    hexnumber = lambda col: frame[col].map(lambda v: int(v, 16) if v else 0)
    packets = pd.DataFrame({
        "no": number("frame.number").astype("int64"),
        "time": number("frame.time_epoch"),
        "length": number("frame.len"),
        "src": frame["ip.src"].where(frame["ip.src"] != "", frame["ipv6.src"]),
        "dst": frame["ip.dst"].where(frame["ip.dst"] != "", frame["ipv6.dst"]),
        "sport": number("tcp.srcport").fillna(number("udp.srcport")).fillna(-1).astype("int64"),
        "dport": number("tcp.dstport").fillna(number("udp.dstport")).fillna(-1).astype("int64"),
        "tcp_flags": hexnumber("tcp.flags"),
        "icmp_error": ((number("icmp.type") == 3) | (number("icmpv6.type") == 1)).astype(float),
    })
    return packets


def features(packets):
    """Each packet's conversation-window description, as a float matrix. Columns by name
    (p["..."]): a DataFrame has attributes of its own, such as .flags."""
    p = packets
    flags = p["tcp_flags"]
    bare_syn = ((flags & SYN) != 0) & ((flags & ACK) == 0)
    rst = (flags & RST) != 0
    src, dst = p["src"].fillna(""), p["dst"].fillna("")
    low, high = np.where(src <= dst, src, dst), np.where(src <= dst, dst, src)
    sport, dport = p["sport"].astype(str), p["dport"].astype(str)
    ports = np.where(p["sport"] <= p["dport"], sport + "-" + dport, dport + "-" + sport)
    window = pd.DataFrame({
        "key": pd.Series(low, index=p.index) + "|" + pd.Series(high, index=p.index) + "|" + np.floor(p["time"]).astype("int64").astype(str),
        "ports": ports,
        "length": p["length"].astype(float),
        "bare_syn": bare_syn.astype(float),
        "rst": rst.astype(float),
        "icmp_error": p["icmp_error"],
    })
    grouped = window.groupby("key")
    return np.column_stack([
        np.log1p(grouped["key"].transform("size")),
        np.log1p(grouped["ports"].transform("nunique")),
        np.log1p(grouped["length"].transform("mean")),
        grouped["bare_syn"].transform("mean"),
        grouped["rst"].transform("mean"),
        grouped["icmp_error"].transform("mean"),
    ]).astype(float)


def fit_and_score(model, seed, train_x, judged_x):
    """Scores (higher = more anomalous) of the training rows and of the judged rows."""
    scaler = StandardScaler().fit(train_x)
    train_z, judged_z = scaler.transform(train_x), scaler.transform(judged_x)
    if model == "lof":
        # Fitted on the distinct training rows: every packet of a conversation's window has the same
        # row, so a warm-up of a few conversations is hundreds of copies of a dozen points, and LOF's
        # density of a point with 20 copies of itself is infinite (scikit-learn adds 1e-10): every
        # new point then scores about 1e10 and the threshold means nothing.
        distinct, row_of = np.unique(train_z, axis=0, return_inverse=True)
        if len(distinct) < MIN_DISTINCT_ROWS:
            fail(f"the training part has {len(distinct)} distinct conversation windows; at least {MIN_DISTINCT_ROWS} are needed for LOF (a longer warm-up, or --train-until)")
        lof = LocalOutlierFactor(n_neighbors=min(20, len(distinct) - 1), novelty=True).fit(distinct)
        # in-sample scores of the training rows (each of its distinct row, without itself), and the judged rows'
        train_scores = -lof.negative_outlier_factor_[row_of.ravel()]
        return train_scores, -lof.score_samples(judged_z) if len(judged_z) else np.array([])
    forest = IsolationForest(n_estimators=200, random_state=seed).fit(train_z)
    return -forest.score_samples(train_z), -forest.score_samples(judged_z) if len(judged_z) else np.array([])


def main():
    parser = argparse.ArgumentParser(description="novelty detector for scans: writes scanlab-csv no,score,flagged per frame")
    parser.add_argument("train", help="attack-free training capture (scanlab's {train})")
    parser.add_argument("pcap", help="capture to judge (scanlab's {pcap})")
    parser.add_argument("out", help="scanlab-csv file to write (scanlab's {out})")
    parser.add_argument("--model", choices=["lof", "iforest"], default="lof")
    parser.add_argument("--seed", type=int, default=0, help="IsolationForest's random_state")
    args = parser.parse_args()

    train = read_packets(args.train)
    if len(train) < MIN_TRAINING_PACKETS:
        fail(f"{args.train} has {len(train)} packets; at least {MIN_TRAINING_PACKETS} are needed to learn what benign traffic looks like (a longer warm-up, or --train-until)")
    judged = read_packets(args.pcap)
    train_scores, scores = fit_and_score(args.model, args.seed, features(train), features(judged))
    threshold = np.quantile(train_scores, THRESHOLD_QUANTILE)

    with open(args.out, "w", encoding="utf-8") as out:
        out.write("no,score,flagged\n")
        for no, score in zip(judged["no"], scores):
            out.write(f"{no},{score:.6f},{int(score > threshold)}\n")


if __name__ == "__main__":
    main()
