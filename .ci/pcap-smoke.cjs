// Loads a node_pcap build (the folder given) under the running Node and reads a capture offline
// through it: prints the Node version, libpcap's version and the number of packets read.
// Used by node-matrix.sh, which compares the count with tshark's reading of the same file.
'use strict';
const [, , pcapDir, capture] = process.argv;
const pcap = require(require('node:path').resolve(pcapDir));
const session = pcap.createOfflineSession(capture);
let packets = 0;
session.on('packet', () => packets++);
session.on('complete', () => {
  session.close();
  process.stdout.write(`${process.version} ${pcap.lib_version} ${packets}\n`);
});
