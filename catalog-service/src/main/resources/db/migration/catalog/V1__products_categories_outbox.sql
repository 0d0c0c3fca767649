-- Catalog schema: categories, products (full-text search, list indexes), and the transactional outbox.

CREATE TABLE categories (
  slug text PRIMARY KEY CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  name text NOT NULL
);

CREATE TABLE products (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sku         text        NOT NULL UNIQUE,
  name        text        NOT NULL,
  description text        NOT NULL DEFAULT '',
  category    text        NOT NULL REFERENCES categories (slug),
  price_cents bigint      NOT NULL CHECK (price_cents >= 0),
  currency    char(3)     NOT NULL,
  stock       integer     NOT NULL CHECK (stock >= 0),
  images      jsonb       NOT NULL DEFAULT '[]'::jsonb,
  version     bigint      NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  search      tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', name), 'A') ||
                setweight(to_tsvector('english', description), 'B')) STORED
);

CREATE INDEX products_search ON products USING gin (search);
-- keyset pagination: every sort key is paired with id, with and without a category filter
CREATE INDEX products_price ON products (price_cents, id);
CREATE INDEX products_name ON products (name, id);
CREATE INDEX products_created ON products (created_at, id);
CREATE INDEX products_category_price ON products (category, price_cents, id);
CREATE INDEX products_category_name ON products (category, name, id);
CREATE INDEX products_category_created ON products (category, created_at, id);

-- Domain events written in the same transaction as the change; the relay publishes them to Kafka.
CREATE TABLE outbox (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id   uuid        NOT NULL UNIQUE,
  product_id bigint      NOT NULL,
  type       text        NOT NULL,
  payload    jsonb       NOT NULL,
  request_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at    timestamptz
);

CREATE INDEX outbox_unsent ON outbox (product_id, id) WHERE sent_at IS NULL;
