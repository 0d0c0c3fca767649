# scaleout/<module>: one service (gateway, catalog-service, session-service, worker) on the
# scaleout/jre image, from the jar Maven built on the host (build.sh copies it into the context).
ARG JRE_IMAGE
FROM ${JRE_IMAGE}
ARG MODULE
ARG MGMT_PORT
RUN test -n "${MODULE}" && test -n "${MGMT_PORT}" \
 || { echo "build with --build-arg MODULE=<module> --build-arg MGMT_PORT=<its management port> (deploy/docker/build.sh does)" >&2; exit 1; }
COPY service.jar /app/service.jar
USER 10001
WORKDIR /app
# Heap as a share of the container's memory limit, not of the host's; a JVM out of memory exits
# so that the orchestrator restarts it.
ENV MGMT_PORT="${MGMT_PORT}" \
    JAVA_OPTS="-XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=20 -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -Xss512k -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC"
HEALTHCHECK --interval=5s --timeout=3s --start-period=90s --retries=3 CMD ["scaleout-ready"]
# the shell only expands JAVA_OPTS; exec makes the JVM PID 1, so SIGTERM reaches it and it drains
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/service.jar"]
