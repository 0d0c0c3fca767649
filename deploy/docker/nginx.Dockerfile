# scaleout/nginx: nginx from Debian's packages (public build: installed here; offline build:
# already in scaleout/debian-nginx) with the project's nginx.conf, in front of the gateways. Its
# entrypoint follows the gateways by name: see nginx-start.sh. Runs as uid 10001.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN if ! command -v nginx >/dev/null; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && groupadd --system --gid 10001 scaleout \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/nginx --shell /usr/sbin/nologin scaleout \
 && mkdir -p /var/lib/nginx /etc/scaleout-nginx && chown -R 10001:10001 /var/lib/nginx
COPY nginx.conf /etc/scaleout-nginx/nginx.conf
COPY nginx-start.sh /usr/local/bin/nginx-start
COPY ready.sh /usr/local/bin/scaleout-ready
RUN chmod 755 /usr/local/bin/nginx-start /usr/local/bin/scaleout-ready
USER 10001
ENV NGINX_PORT=8000 \
    GATEWAY_NAME=gateway \
    GATEWAY_PORT=8080 \
    GATEWAY_RESOLVE_SECONDS=2
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=3s --retries=10 CMD scaleout-ready "$NGINX_PORT" /api/ping
ENTRYPOINT ["nginx-start"]
