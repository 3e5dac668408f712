export { ProbeWorker, type ProbeWorkerEvents } from './probe-worker.js';
export { WorkerError, type WorkerCause } from './errors.js';
export { uniqueProbeName, describeWorkerClose, type JobRecord, type JobStage, type ProbeMode, type ProbeWorkerOptions, type Registration, type WorkerClosed } from './types.js';
