"""Independent pandas/scikit-learn implementations of scanlab's feature sets, from a tshark field
export (export-fields.sh), written the way a data scientist would. As a script it prints JSON
{name: {columns, rows: [[...]], packets: [...]}} with rows in order of their first packet; the
benchmark imports the functions. Run with Debian's /usr/bin/python3 (pandas, sklearn)."""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler, StandardScaler

FIELDS = ['frame.number', 'frame.time_relative', 'frame.len', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol',
          'ip.proto', 'ipv6.nxt', 'ip.len', 'ip.hdr_len', 'ipv6.plen', 'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport',
          'tcp.flags', 'tcp.len', 'udp.length', 'icmp.type', 'icmpv6.type']


def load(path):
    """Per-packet frame with the columns the feature sets use."""
    raw = pd.read_csv(path, sep='\t', keep_default_na=False, dtype=str)
    num = lambda c: pd.to_numeric(raw[c], errors='coerce')
    df = pd.DataFrame({'time': num('frame.time_relative').fillna(0.0), 'length': num('frame.len'),
                       'Source': raw['_ws.col.Source'], 'Destination': raw['_ws.col.Destination'], 'Protocol': raw['_ws.col.Protocol']})
    df['ipproto'] = num('ip.proto').fillna(num('ipv6.nxt')).fillna(255).astype(int)
    is_icmp = df['ipproto'].isin([1, 58])
    tcp = df['ipproto'] == 6
    udp = df['ipproto'] == 17
    df['sport'] = pd.Series(np.where(tcp, num('tcp.srcport'), np.where(udp, num('udp.srcport'), 0))).fillna(0).astype(int)
    df['dport'] = pd.Series(np.where(tcp, num('tcp.dstport'), np.where(udp, num('udp.dstport'), 0))).fillna(0).astype(int)
    df['flags'] = pd.Series([int(s, 16) if s else 0 for s in raw['tcp.flags']]).where(tcp, 0)
    payload = np.where(tcp, num('tcp.len'), np.where(udp, num('udp.length') - 8, np.nan))
    icmp_payload = np.where(df['ipproto'] == 1, num('ip.len') - num('ip.hdr_len') - 8, num('ipv6.plen') - 4)
    df['payload'] = pd.Series(np.where(is_icmp, icmp_payload, payload)).fillna(0)
    icmp_type = num('icmp.type').where(df['ipproto'] == 1, num('icmpv6.type'))
    df['unreach'] = ((df['ipproto'] == 1) & (icmp_type == 3)) | ((df['ipproto'] == 58) & (icmp_type == 1))
    return df


def sds_window(df):
    """Seed 003: returns (features frame, packets per row, row of each packet)."""
    d = df[['time', 'Source', 'Destination', 'Protocol', 'length']].copy()
    d['ts'] = np.floor(d['time'] * 100 + 0.5) / 100  # Spark round(Time, 2): HALF_UP
    g = d.groupby(['ts', 'Source', 'Destination', 'Protocol'], sort=False)
    row = g.ngroup()
    trunc = g.agg(len=('length', 'mean'), mx=('length', 'max'), count=('length', 'size')).reset_index()
    trunc['local_anomalies'] = trunc['len'] / trunc['mx']
    sampled = trunc.copy()
    sampled['len'] = StandardScaler().fit_transform(sampled[['len']].astype(float))[:, 0]
    sampled['count'] = StandardScaler().fit_transform(sampled[['count']].astype(float))[:, 0]
    dummies = pd.get_dummies(sampled['Protocol']).astype(float)
    onehot = pd.concat([dummies, sampled['Source'], sampled['len'], sampled['Destination'], sampled['ts'], sampled['count']], axis=1)
    return onehot.drop(columns=['Source', 'Destination']), trunc['count'].to_numpy(), row.to_numpy()


def kaggle_flow(df, idle=15.0):
    """Seed 000 on flow records (directional 5-tuple, idle timeout)."""
    f = df[['time', 'Source', 'Destination', 'sport', 'dport', 'ipproto', 'length']].copy()
    f['tuple'] = f.groupby(['Source', 'Destination', 'sport', 'dport', 'ipproto'], sort=False).ngroup()
    gap = f.groupby('tuple')['time'].diff()
    new = gap.isna() | (gap > idle)
    flow_id = new.cumsum() - 1  # flow ids in order of first packet
    f['flow'] = pd.Series(np.where(new, flow_id, np.nan)).groupby(f['tuple']).ffill().astype(int)
    flows = f.groupby('flow', sort=True).agg(source_ip=('Source', 'first'), destination_ip=('Destination', 'first'),
                                              source_port=('sport', 'first'), destination_port=('dport', 'first'),
                                              start_time=('time', 'min'), num_packets=('time', 'size'), num_bytes=('length', 'sum'))
    data = flows.reset_index().sort_values('start_time', kind='mergesort').reset_index(drop=True)
    row_of_flow = np.empty(len(data), dtype=np.int64)
    row_of_flow[data['flow'].to_numpy()] = np.arange(len(data))
    counts = data.groupby('source_ip', sort=False)['source_port'].count()
    first = data.reset_index().groupby('source_ip', sort=False)['index'].min()
    top = pd.DataFrame({'n': counts, 'first': first}).sort_values(['n', 'first'], ascending=[False, True]).index[:2].tolist()
    frame = pd.DataFrame({'time_diff': data['start_time'].diff().fillna(0), 'num_bytes': data['num_bytes'], 'num_packets': data['num_packets'],
                          'source_port': (data['source_port'] == 22).astype(int), 'destination_port': (data['destination_port'] == 22).astype(int),
                          'destination_ip': data['destination_ip'].isin(top).astype(int), 'source_ip': data['source_ip'].isin(top).astype(int)})
    dummy = pd.get_dummies(frame, prefix=['dest_with', 'source_with', 'dest_ip', 'source_ip'],
                           columns=['destination_port', 'source_port', 'destination_ip', 'source_ip']).astype(float)
    scaled = pd.DataFrame(MinMaxScaler().fit_transform(dummy), columns=dummy.columns)
    return scaled, data['num_packets'].to_numpy(), row_of_flow[f['flow'].to_numpy()]


def host_window(df, window=1.0):
    """scanlab's host-window, vectorized."""
    h = df[['time', 'Source', 'Destination', 'length', 'ipproto', 'dport', 'flags', 'payload', 'unreach']].copy()
    swap = h['Source'] < h['Destination']
    h['a'] = np.where(swap, h['Source'], h['Destination'])
    h['b'] = np.where(swap, h['Destination'], h['Source'])
    h['window'] = np.floor(h['time'] / window).astype(int)
    h['row'] = h.groupby(['window', 'a', 'b'], sort=False).ngroup()
    h['synonly'] = (h['flags'] & 0x12) == 0x02
    h['synack'] = (h['flags'] & 0x12) == 0x12
    h['rst'] = (h['flags'] & 0x04) != 0
    h['udp'] = h['ipproto'] == 17
    h['empty'] = h['payload'] == 0
    h['gap'] = h.groupby('row')['time'].diff() * 1000
    rows = h.groupby('row', sort=True)
    agg = rows.agg(n=('time', 'size'), syn=('synonly', 'sum'), synack=('synack', 'sum'), rst=('rst', 'sum'), unreach=('unreach', 'sum'),
                   empty=('empty', 'sum'), udp=('udp', 'sum'), size_mean=('length', 'mean'), size_var=('length', 'var'),
                   gap_mean=('gap', 'mean'), gap_var=('gap', 'var'), gaps=('gap', 'count'), window=('window', 'first'),
                   a=('a', 'first'), b=('b', 'first'), first_src=('Source', 'first'))
    size_std = np.sqrt(agg['size_var'].fillna(0) * (agg['n'] - 1) / agg['n'])  # ddof=0
    gap_std = np.sqrt(agg['gap_var'].fillna(0) * (agg['gaps'] - 1).clip(lower=0) / agg['gaps'].clip(lower=1))
    ports = h[h['ipproto'].isin([6, 17])].drop_duplicates(['row', 'dport']).groupby('row').size()
    agg['ports'] = ports.reindex(agg.index).fillna(0)
    first_syn = h[h['synonly']].groupby('row')['Source'].first()
    agg['initiator'] = first_syn.reindex(agg.index).fillna(agg['first_src'])
    peers = pd.concat([agg[['window', 'a']].rename(columns={'a': 'host'}), agg[agg['a'] != agg['b']][['window', 'b']].rename(columns={'b': 'host'})])
    peer_count = peers.groupby(['window', 'host']).size().rename('fan_out')
    fan_out = agg[['window', 'initiator']].merge(peer_count, left_on=['window', 'initiator'], right_index=True, how='left')['fan_out'].fillna(1)
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
        'size_std': np.log1p(size_std),
        'gap_mean': np.log1p(agg['gap_mean'].fillna(0)),
        'gap_std': np.log1p(gap_std),
        'failed_share': np.where(agg['syn'] > 0, np.maximum(0, agg['syn'] - agg['synack']) / agg['syn'].where(agg['syn'] > 0, 1), 0),
        'fan_out': np.log1p(fan_out.to_numpy()),
    })
    return pd.DataFrame(StandardScaler().fit_transform(X), columns=X.columns), agg['n'].to_numpy(), h['row'].to_numpy()


SETS = {'sds-window': sds_window, 'kaggle-flow': kaggle_flow, 'host-window': host_window}

if __name__ == '__main__':
    df = load(sys.argv[1])
    out = {}
    for name, build in SETS.items():
        X, packets, _ = build(df)
        out[name] = {'columns': list(X.columns), 'rows': X.values.tolist(), 'packets': [int(p) for p in packets]}
    json.dump(out, sys.stdout)
