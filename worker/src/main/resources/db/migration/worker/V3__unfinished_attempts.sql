-- Attempts in a row that started and never ended (their worker died during them): a job that keeps
-- taking its worker down is dead-lettered instead of being handed to the next one.
ALTER TABLE jobs ADD COLUMN unfinished_attempts integer NOT NULL DEFAULT 0;
