# scaleout/jre: the Java runtime every service image and the Kafka image run on. The runtime is
# made by build.sh with jlink from the JDK that built the jars (only the modules the services and
# Kafka use), so the base needs no Java package: debian:bookworm-slim, or the debootstrap base of
# the offline build (IMAGE_BASE=offline).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
COPY runtime /opt/java
COPY ready.sh /usr/local/bin/scaleout-ready
RUN groupadd --system --gid 10001 scaleout \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin scaleout \
 && mkdir -p /app /var/lib/scaleout/workspace \
 && chown 10001:10001 /var/lib/scaleout/workspace \
 && chmod 755 /usr/local/bin/scaleout-ready \
 && /opt/java/bin/java -Xshare:dump -version >/dev/null 2>&1
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
