"""Independent pandas/scikit-learn implementations of scanlab's feature sets, from a tshark field
export (export-fields.sh). Prints JSON {name: {columns, rows: [[...]], packets: [...]}} with rows in
order of their first packet. Run with Debian's /usr/bin/python3 (pandas, sklearn)."""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler, StandardScaler

df = pd.read_csv(sys.argv[1], sep='\t', keep_default_na=False, dtype=str)
num = lambda c: pd.to_numeric(df[c], errors='coerce')
df['time'] = num('frame.time_relative').fillna(0.0)
df['length'] = num('frame.len')
df['Source'] = df['_ws.col.Source']
df['Destination'] = df['_ws.col.Destination']
df['Protocol'] = df['_ws.col.Protocol']
proto = num('ip.proto').fillna(num('ipv6.nxt'))
df['ipproto'] = proto.fillna(255).astype(int)
is_icmp = df['ipproto'].isin([1, 58])
tcp = df['ipproto'] == 6
udp = df['ipproto'] == 17
df['sport'] = np.where(tcp, num('tcp.srcport'), np.where(udp, num('udp.srcport'), 0))
df['dport'] = np.where(tcp, num('tcp.dstport'), np.where(udp, num('udp.dstport'), 0))
df['sport'] = df['sport'].fillna(0).astype(int)
df['dport'] = df['dport'].fillna(0).astype(int)
df['flags'] = df['tcp.flags'].apply(lambda s: int(s, 16) if s else 0).where(tcp, 0)
payload = np.where(tcp, num('tcp.len'), np.where(udp, num('udp.length') - 8, np.nan))
icmp_payload = np.where(df['ipproto'] == 1, num('ip.len') - num('ip.hdr_len') - 8, num('ipv6.plen') - 4)
df['payload'] = np.where(is_icmp, icmp_payload, payload)
df['payload'] = pd.Series(df['payload']).fillna(0)
icmp_type = num('icmp.type').where(df['ipproto'] == 1, num('icmpv6.type'))
df['unreach'] = ((df['ipproto'] == 1) & (icmp_type == 3)) | ((df['ipproto'] == 58) & (icmp_type == 1))

out = {}

# --- sds-window (seed 003) ---------------------------------------------------------------------
d = df.copy()
d['ts'] = np.floor(d['time'] * 100 + 0.5) / 100  # Spark round(Time, 2): HALF_UP
g = d.groupby(['ts', 'Source', 'Destination', 'Protocol'], sort=False)
trunc = g.agg(len=('length', 'mean'), mx=('length', 'max'), count=('length', 'size')).reset_index()
trunc['local_anomalies'] = trunc['len'] / trunc['mx']
sampled = trunc.copy()
sampled['len'] = StandardScaler().fit_transform(sampled[['len']].astype(float))[:, 0]
sampled['count'] = StandardScaler().fit_transform(sampled[['count']].astype(float))[:, 0]
dummies = pd.get_dummies(sampled['Protocol']).astype(float)
onehot = pd.concat([dummies, sampled['Source'], sampled['len'], sampled['Destination'], sampled['ts'], sampled['count']], axis=1)
features = onehot.drop(columns=['Source', 'Destination'])
out['sds-window'] = {'columns': list(features.columns), 'rows': features.values.tolist(), 'packets': trunc['count'].tolist()}

# --- kaggle-flow (seed 000) --------------------------------------------------------------------
IDLE = 15.0
f = df[['time', 'Source', 'Destination', 'sport', 'dport', 'ipproto', 'length']].copy()
f['tuple'] = f.groupby(['Source', 'Destination', 'sport', 'dport', 'ipproto'], sort=False).ngroup()
f['gap'] = f.groupby('tuple')['time'].diff()
f['new'] = f['gap'].isna() | (f['gap'] > IDLE)
f['flow'] = f['new'].cumsum() - 1  # flow ids in order of first packet
# cumsum over new flags numbers flows globally; map each packet to its tuple's current flow
f['flow_start_mark'] = np.where(f['new'], f['flow'], np.nan)
f['flow'] = f.groupby('tuple')['flow_start_mark'].ffill().astype(int)
flows = f.groupby('flow', sort=True).agg(source_ip=('Source', 'first'), destination_ip=('Destination', 'first'),
                                          source_port=('sport', 'first'), destination_port=('dport', 'first'),
                                          start_time=('time', 'min'), num_packets=('time', 'size'), num_bytes=('length', 'sum'))
data = flows.reset_index().sort_values('start_time', kind='mergesort').reset_index(drop=True)
counts = data.groupby('source_ip', sort=False)['source_port'].count()
first = data.reset_index().groupby('source_ip', sort=False)['index'].min()
top = pd.DataFrame({'n': counts, 'first': first}).sort_values(['n', 'first'], ascending=[False, True]).index[:2].tolist()
time_diff = data['start_time'].diff().fillna(0)
frame = pd.DataFrame({'time_diff': time_diff, 'num_bytes': data['num_bytes'], 'num_packets': data['num_packets'],
                      'source_port': (data['source_port'] == 22).astype(int), 'destination_port': (data['destination_port'] == 22).astype(int),
                      'destination_ip': data['destination_ip'].isin(top).astype(int), 'source_ip': data['source_ip'].isin(top).astype(int)})
dummy = pd.get_dummies(frame, prefix=['dest_with', 'source_with', 'dest_ip', 'source_ip'],
                       columns=['destination_port', 'source_port', 'destination_ip', 'source_ip']).astype(float)
scaled = MinMaxScaler().fit_transform(dummy)
out['kaggle-flow'] = {'columns': list(dummy.columns), 'rows': scaled.tolist(), 'packets': data['num_packets'].tolist()}

# --- host-window (scanlab) ---------------------------------------------------------------------
W = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
h = df.copy()
h['a'] = np.where(h['Source'] < h['Destination'], h['Source'], h['Destination'])
h['b'] = np.where(h['Source'] < h['Destination'], h['Destination'], h['Source'])
h['window'] = np.floor(h['time'] / W).astype(int)
h['row'] = h.groupby(['window', 'a', 'b'], sort=False).ngroup()
h['synonly'] = (h['flags'] & 0x12) == 0x02
h['synack'] = (h['flags'] & 0x12) == 0x12
h['rst'] = (h['flags'] & 0x04) != 0
h['udp'] = h['ipproto'] == 17
h['empty'] = h['payload'] == 0
h['gap'] = h.groupby('row')['time'].diff() * 1000
h['port_key'] = np.where(h['ipproto'].isin([6, 17]), h['dport'], -1)
rows = h.groupby('row', sort=True)
agg = rows.agg(n=('time', 'size'), syn=('synonly', 'sum'), synack=('synack', 'sum'), rst=('rst', 'sum'), unreach=('unreach', 'sum'),
               empty=('empty', 'sum'), udp=('udp', 'sum'), size_mean=('length', 'mean'), size_std=('length', lambda s: s.std(ddof=0)),
               gap_mean=('gap', 'mean'), gap_std=('gap', lambda s: s.std(ddof=0) if s.count() > 0 else 0.0), window=('window', 'first'),
               a=('a', 'first'), b=('b', 'first'))
agg['ports'] = h[h['port_key'] >= 0].groupby('row')['port_key'].nunique().reindex(agg.index).fillna(0)
first_syn = h[h['synonly']].groupby('row')['Source'].first()
agg['initiator'] = first_syn.reindex(agg.index).fillna(rows['Source'].first())
peers = pd.concat([agg[['window', 'a']].rename(columns={'a': 'host'}), agg[agg['a'] != agg['b']][['window', 'b']].rename(columns={'b': 'host'})])
peer_count = peers.groupby(['window', 'host']).size()
agg['fan_out'] = [peer_count.get((w, host), 1) for w, host in zip(agg['window'], agg['initiator'])]
X = pd.DataFrame({
    'packets': np.log1p(agg['n']),
    'distinct_ports': np.log1p(agg['ports']),
    'port_ratio': agg['ports'] / agg['n'],
    'syn_only_share': agg['syn'] / agg['n'],
    'rst_share': agg['rst'] / agg['n'],
    'unreachable_share': agg['unreach'] / agg['n'],
    'empty_share': agg['empty'] / agg['n'],
    'udp_share': agg['udp'] / agg['n'],
    'size_mean': np.log1p(agg['size_mean']),
    'size_std': np.log1p(agg['size_std']),
    'gap_mean': np.log1p(agg['gap_mean'].fillna(0)),
    'gap_std': np.log1p(agg['gap_std'].fillna(0)),
    'failed_share': np.where(agg['syn'] > 0, np.maximum(0, agg['syn'] - agg['synack']) / agg['syn'].where(agg['syn'] > 0, 1), 0),
    'fan_out': np.log1p(agg['fan_out']),
})
Xs = StandardScaler().fit_transform(X)
out['host-window'] = {'columns': list(X.columns), 'rows': Xs.tolist(), 'packets': agg['n'].tolist()}

json.dump(out, sys.stdout)
