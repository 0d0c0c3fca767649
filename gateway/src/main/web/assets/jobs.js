// Following a job: the caller's job events (GET /api/events, Server-Sent Events on any gateway;
// the browser reconnects by itself, with Last-Event-ID) and, as a fallback while the stream is
// down, GET /api/jobs/{id} every few seconds. watchJob resolves with the job once it succeeded and
// rejects once it is dead; onProgress sees every change.
import { get } from '/assets/api.js';

const FALLBACK_POLL_MS = 3000;
let stream = null;
const watchers = new Map();

function ensureStream() {
  if (stream) return Promise.resolve();
  stream = new EventSource('/api/events');
  stream.addEventListener('job', (event) => {
    const change = JSON.parse(event.data);
    watchers.get(change.jobId)?.forEach((watcher) => watcher(change));
  });
  return new Promise((resolve) => {
    stream.addEventListener('open', () => resolve(), { once: true });
    setTimeout(resolve, 2000); // the fallback poll covers a stream that does not open
  });
}

// opens the stream before a job is made, so none of its changes is missed
export const prepare = ensureStream;

export function watchJob(jobId, onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    let done = false;
    const seen = (job) => {
      if (done) return;
      onProgress(job);
      if (job.status === 'succeeded' || job.status === 'dead') {
        done = true;
        clearInterval(poll);
        watchers.get(jobId)?.delete(seen);
        if (job.status === 'succeeded') resolve(job);
        else reject(Object.assign(new Error(job.error || 'the job failed'), { title: 'The job failed', detail: job.error || '', job }));
      }
    };
    if (!watchers.has(jobId)) watchers.set(jobId, new Set());
    watchers.get(jobId).add(seen);
    const poll = setInterval(() => get(`/api/jobs/${jobId}`).then((job) => seen({ ...job, jobId })).catch(() => {}), FALLBACK_POLL_MS);
    ensureStream();
  });
}

export function closeStream() {
  stream?.close();
  stream = null;
}
