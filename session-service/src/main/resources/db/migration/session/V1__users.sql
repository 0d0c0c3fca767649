-- Accounts of the session service. Emails are unique regardless of case; only password hashes
-- (Argon2id, PHC string format) are stored.
CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text        NOT NULL,
  email_key     text        GENERATED ALWAYS AS (lower(email)) STORED UNIQUE,
  name          text        NOT NULL,
  password_hash text        NOT NULL,
  roles         text[]      NOT NULL DEFAULT ARRAY['user'],
  created_at    timestamptz NOT NULL DEFAULT now()
);
