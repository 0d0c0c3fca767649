# scaleout/postgres: PostgreSQL from Debian's packages (public build: installed here; offline
# build: already in scaleout/debian-postgres). Its entrypoint makes the data directory on first
# start the way the official image does for what the compose file uses (POSTGRES_PASSWORD_FILE,
# POSTGRES_USER, the scripts of /docker-entrypoint-initdb.d); runs as postgres (uid 999).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN if ! id postgres >/dev/null 2>&1; then \
      groupadd --system --gid 999 postgres \
      && useradd --system --uid 999 --gid 999 --home-dir /var/lib/postgresql --shell /bin/bash postgres; \
    fi \
 && if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then \
      mkdir -p /etc/postgresql-common/createcluster.d \
      && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/scaleout.conf \
      && apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql postgresql-client \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && ln -s "$(dirname "$(ls /usr/lib/postgresql/*/bin/postgres | tail -1)")" /usr/lib/postgresql/bin \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d \
 && chown -R 999:999 /var/lib/postgresql /var/run/postgresql && chmod 700 /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint
ENV PATH=/usr/lib/postgresql/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
USER 999
EXPOSE 5432
STOPSIGNAL SIGINT
HEALTHCHECK --interval=5s --timeout=3s --retries=20 CMD ["pg_isready", "-h", "127.0.0.1", "-q"]
ENTRYPOINT ["bash", "/usr/local/bin/postgres-entrypoint"]
CMD ["postgres"]
