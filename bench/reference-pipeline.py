"""The reference pipeline a data scientist would run on a capture, for bench/analysis.bench.ts:
tshark field export -> pandas -> the same three feature sets (test/features/reference/features.py)
-> scikit-learn KMeans (k-means++, one init, like scanlab) -> sklearn.metrics per row and per
packet. Prints one JSON object with stage timings and peak RSS. Debian's /usr/bin/python3."""
import json
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'test', 'features', 'reference'))
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn import metrics as skm  # noqa: E402
import features  # noqa: E402

pcap, labels_path, tsv = sys.argv[1], sys.argv[2], sys.argv[3]
K = {'sds-window': 23, 'kaggle-flow': 5, 'host-window': 12}
out = {'featureSets': {}}
t0 = time.perf_counter()
with open(tsv, 'w') as f:
    subprocess.run(['tshark', '-n', '-r', pcap, '-T', 'fields', '-E', 'header=y', '-E', 'separator=/t', '-E', 'occurrence=f']
                   + [a for field in features.FIELDS for a in ('-e', field)], stdout=f, stderr=subprocess.DEVNULL, check=True)
t1 = time.perf_counter()
df = features.load(tsv)
labels = (pd.read_csv(labels_path)['label'] == 'scan').astype(int).to_numpy()
t2 = time.perf_counter()
out['tsharkMs'] = (t1 - t0) * 1000
out['loadMs'] = (t2 - t1) * 1000
out['packets'] = len(df)


def scores(truth, pred):
    p, r, f1, _ = skm.precision_recall_fscore_support(truth, pred_scan(truth, pred), average='binary', zero_division=0)
    return {'ari': skm.adjusted_rand_score(truth, pred), 'nmi': skm.normalized_mutual_info_score(truth, pred),
            'homogeneity': skm.homogeneity_score(truth, pred), 'completeness': skm.completeness_score(truth, pred),
            'vMeasure': skm.v_measure_score(truth, pred), 'scanPrecision': p, 'scanRecall': r, 'scanF1': f1}


def pred_scan(truth, pred):
    frame = pd.DataFrame({'c': pred, 'y': truth})
    share = frame.groupby('c')['y'].mean()
    return frame['c'].map(share > 0.5).to_numpy().astype(int)


for name, build in features.SETS.items():
    s0 = time.perf_counter()
    X, packets, row_of_packet = build(df)
    s1 = time.perf_counter()
    km = KMeans(n_clusters=min(K[name], len(X)), init='k-means++', n_init=1, random_state=0).fit(X.to_numpy())
    s2 = time.perf_counter()
    scan_per_row = np.bincount(row_of_packet, weights=labels, minlength=len(X))
    row_label = (2 * scan_per_row > packets).astype(int)
    per_row = scores(row_label, km.labels_)
    per_packet = scores(labels, km.labels_[row_of_packet])
    s3 = time.perf_counter()
    out['featureSets'][name] = {'rows': len(X), 'cols': X.shape[1], 'k': int(km.n_clusters), 'inertia': float(km.inertia_),
                                'featuresMs': (s1 - s0) * 1000, 'kmeansMs': (s2 - s1) * 1000, 'scoreMs': (s3 - s2) * 1000,
                                'metrics': per_row, 'metricsByPackets': per_packet}
out['totalMs'] = (time.perf_counter() - t0) * 1000
self_usage = resource.getrusage(resource.RUSAGE_SELF)
child_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
out['cpuMs'] = (self_usage.ru_utime + self_usage.ru_stime + child_usage.ru_utime + child_usage.ru_stime) * 1000
out['peakRssMb'] = self_usage.ru_maxrss / 1024
out['tsharkPeakRssMb'] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(out))
