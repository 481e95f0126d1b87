"""The novelty detector of src/detect/novelty.ts done with scikit-learn on the same raw feature
matrix, for bench/detect.bench.ts: StandardScaler / MinMaxScaler fitted on the training rows (the
same spread floor), KMeans (k-means++, one init) on them, the training radius (95th percentile of
their distances to their centres), then every row's distance to the nearest centre / radius.
Prints one JSON line: fit and score time, k, how many rows are above the threshold."""
import json, sys, time
import numpy as np
from sklearn.cluster import KMeans

meta = json.load(open(sys.argv[1]))
x = np.fromfile(meta['matrix'], dtype='<f8').reshape(meta['rows'], meta['cols'])
train = np.fromfile(meta['train'], dtype='<i4')
t0 = time.perf_counter()
xt = x[train]
offset = np.zeros(meta['cols']); scale = np.ones(meta['cols'])
for c, kind in enumerate(meta['scaling']):
    if kind == 'standard':
        offset[c] = xt[:, c].mean(); s = xt[:, c].std(); scale[c] = max(s if s > 0 else 1.0, meta['minScale'])
    elif kind == 'minmax':
        offset[c] = xt[:, c].min(); s = xt[:, c].max() - offset[c]; scale[c] = max(s if s > 0 else 1.0, meta['minScale'])
xs = (xt - offset) / scale
k = max(1, min(meta['defaultK'], len(train) // meta['rowsPerCluster']))
km = KMeans(n_clusters=k, n_init=1, random_state=1).fit(xs)
d = np.sqrt(((xs - km.cluster_centers_[km.labels_]) ** 2).sum(axis=1))
radius = max(meta['minRadius'], float(np.quantile(d, meta['radiusQuantile'])))
t1 = time.perf_counter()
scores = km.transform((x - offset) / scale).min(axis=1) / radius
t2 = time.perf_counter()
print(json.dumps(dict(fitMs=(t1 - t0) * 1000, scoreMs=(t2 - t1) * 1000, k=k, flagged=int((scores > meta['threshold']).sum()))))
