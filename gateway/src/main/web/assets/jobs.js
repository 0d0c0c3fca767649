// Following a job: the caller's job events (GET /api/events, Server-Sent Events on any gateway;
// the browser reconnects by itself, with Last-Event-ID) and, only while that stream is not open,
// GET /api/jobs/{id} every few seconds. watchJob resolves with the job once it succeeded and
// rejects once it is dead; onProgress sees every change. The stream is open while a job is
// watched, and closed when none is (each open stream counts against the user's limit).
import { get, request } from '/assets/api.js';

const FALLBACK_POLL_MS = 3000;
// a job named by a 504 may not exist yet (the worker writes it moments later) or ever: it is polled
// even while the stream is open, and given up once it is still unknown after this long
const UNCONFIRMED_GRACE_MS = 20000;
const unconfirmed = new Set();
let stream = null;
const watchers = new Map();

function ensureStream() {
  if (stream && stream.readyState !== EventSource.CLOSED) return Promise.resolve();
  stream = new EventSource('/api/events');
  stream.addEventListener('job', (event) => {
    const change = JSON.parse(event.data);
    watchers.get(change.jobId)?.(change);
  });
  const opened = stream;
  return new Promise((resolve) => {
    opened.addEventListener('open', () => resolve(), { once: true });
    opened.addEventListener('error', () => resolve(), { once: true }); // the poll covers a stream that does not open
  });
}

// opens the stream before a job is made, so none of its changes is missed
export const prepare = ensureStream;

// submitJob(path, file, type): the id of the job a file upload starts; a 504 names it too (the
// worker answered after the gateway stopped waiting: the job may still run, so it is followed)
export async function submitJob(path, file, type) {
  try {
    return (await request(path, { method: 'POST', raw: file, headers: { 'Content-Type': type } })).data.jobId;
  } catch (e) {
    if (e.status !== 504 || !e.location?.startsWith('/api/jobs/')) throw e;
    const jobId = e.location.slice('/api/jobs/'.length);
    unconfirmed.add(jobId);
    return jobId;
  }
}

export function watchJob(jobId, onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const finish = (job) => {
      clearInterval(poll);
      unconfirmed.delete(jobId);
      watchers.delete(jobId);
      if (!watchers.size) closeStream();
      if (job.status === 'succeeded') resolve(job);
      else reject(Object.assign(new Error(job.error || 'the job failed'), { title: 'The job failed', detail: job.error || '', job }));
    };
    const seen = (job) => {
      if (!watchers.has(jobId)) return;
      onProgress(job);
      if (job.status === 'succeeded' || job.status === 'dead') finish(job);
    };
    watchers.set(jobId, seen);
    const poll = setInterval(() => {
      if (!unconfirmed.has(jobId) && stream && stream.readyState === EventSource.OPEN) return;
      get(`/api/jobs/${jobId}`).then((job) => {
        unconfirmed.delete(jobId);
        seen({ ...job, jobId });
      }).catch((e) => {
        if (e.status === 404 && unconfirmed.has(jobId) && Date.now() - startedAt > UNCONFIRMED_GRACE_MS) {
          seen({ jobId, status: 'dead', error: 'The worker did not take the job; upload the file again' });
        }
      });
    }, FALLBACK_POLL_MS);
    seen.stop = () => clearInterval(poll);
    ensureStream();
  });
}

// the route changed: nothing on the page shows these jobs any more
export function stopWatching() {
  watchers.forEach((seen) => seen.stop());
  watchers.clear();
  closeStream();
}

export function closeStream() {
  stream?.close();
  stream = null;
}
