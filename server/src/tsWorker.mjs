// Starts a worker thread on a TypeScript module (the project runs its sources through tsx): the
// module to run is the worker's `workerData.module` (a file: URL).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.module);
