# scaleout/redis: Redis from Debian's packages (public build: installed here; offline build:
# already in scaleout/debian-redis), run as redis (uid 999).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN if ! id redis >/dev/null 2>&1; then \
      groupadd --system --gid 999 redis \
      && useradd --system --uid 999 --gid 999 --home-dir /var/lib/redis --shell /usr/sbin/nologin redis; \
    fi \
 && if ! command -v redis-server >/dev/null; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
      && rm -rf /var/lib/apt/lists/*; \
    fi
USER 999
WORKDIR /var/lib/redis
EXPOSE 6379
CMD ["redis-server", "--bind", "0.0.0.0", "--save", "", "--appendonly", "no"]
