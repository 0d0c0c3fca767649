# scaleout/jre: the Java runtime every service image and the Kafka image run on. The runtime is
# made by build.sh with jlink from the JDK that built the jars (only the modules the services and
# Kafka use), so the base needs no Java package: debian:bookworm-slim, or the debootstrap base of
# the offline build (IMAGE_BASE=offline, scaleout/debian-jre).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
COPY runtime /opt/java
COPY ready.sh /usr/local/bin/scaleout-ready
# libjavajpeg and liblcms of a runtime linked from Debian's JDK load the system's libjpeg and lcms
# (already in the offline base; debian-bases.sh installs the same packages)
RUN if ! dpkg -s libjpeg62-turbo liblcms2-2 >/dev/null 2>&1; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libjpeg62-turbo liblcms2-2 \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && groupadd --system --gid 10001 scaleout \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin scaleout \
 && mkdir -p /app /var/lib/scaleout/workspace \
 && chown 10001:10001 /var/lib/scaleout/workspace \
 && chmod 755 /usr/local/bin/scaleout-ready \
 && missing=$(cd /opt/java/lib && LD_LIBRARY_PATH=/opt/java/lib:/opt/java/lib/server \
      ldd libjavajpeg.so liblcms.so libawt.so libawt_headless.so libmlib_image.so libnet.so libnio.so libzip.so | grep 'not found' || true) \
 && { [ -z "$missing" ] || { echo "the runtime's image and network libraries need: $missing" >&2; exit 1; }; } \
 && /opt/java/bin/java -Xshare:dump -version >/dev/null 2>&1
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
