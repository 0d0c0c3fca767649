-- One row per job: what it is, whose it is, where it stands. "failed" means a transient failure
-- waiting in a retry tier; "dead" means it reached the dead-letter topic.
CREATE TABLE jobs (
  id          uuid PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('thumbnail', 'import')),
  owner       text NOT NULL,
  status      text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'dead')),
  attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  progress    integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  payload     jsonb NOT NULL,
  result      jsonb,
  error       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

-- a reconnecting client asks for its open jobs
CREATE INDEX jobs_open_by_owner ON jobs (owner, created_at) WHERE status IN ('queued', 'running', 'failed');
