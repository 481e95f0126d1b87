// Starts the live-detection worker: the worker thread loads TypeScript through tsx, as bin/scanlab.js does.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('./live-worker.ts');
