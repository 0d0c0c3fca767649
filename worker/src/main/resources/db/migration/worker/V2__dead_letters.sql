-- Every record that reached the dead-letter topic, as an operator sees it: why, after how many
-- attempts, when; replayed and discarded ones are kept with who did it and when.
CREATE TABLE dead_letters (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic         text        NOT NULL,
  kafka_partition integer   NOT NULL,
  kafka_offset  bigint      NOT NULL,
  job_id        uuid,
  record_key    text,
  record_value  text        NOT NULL,
  failed_topic  text,
  reason        text        NOT NULL,
  attempts      integer     NOT NULL,
  failed_at     timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  replayed_at   timestamptz,
  replayed_by   text,
  discarded_at  timestamptz,
  discarded_by  text,
  -- the DLQ consumer is at least once too: a record seen again is the same dead letter
  UNIQUE (topic, kafka_partition, kafka_offset)
);

CREATE INDEX dead_letters_pending ON dead_letters (id) WHERE replayed_at IS NULL AND discarded_at IS NULL;

-- a reconnecting event stream asks for the owner's jobs changed since its last event
CREATE INDEX jobs_by_owner_updated ON jobs (owner, updated_at);
