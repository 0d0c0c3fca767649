#!/usr/bin/env bash
# deploy/docker/build.sh: every image of the container topology, from the jars Maven built on this
# host (run Maven first, or let this script run `mvn package` when a jar is missing; no Maven runs
# inside an image build). The names and tags are the ones docker-compose.yml and the Kubernetes
# manifests use:
#
#   scaleout/gateway:TAG  scaleout/catalog-service:TAG  scaleout/session-service:TAG  scaleout/worker:TAG
#   scaleout/postgres:TAG  scaleout/redis:TAG  scaleout/kafka:TAG  scaleout/nginx:TAG
#   scaleout/jre:TAG       (the Java runtime the services and Kafka run on)
#
# Settings (environment):
#   IMAGE_TAG    the tag, by default the project's version without -SNAPSHOT (pom.xml)
#   IMAGE_BASE   public (default): the bases are debian:bookworm-slim from your registry and the
#                datastores' packages are installed by apt-get in the build;
#                offline: no registry at all: the bases are made here by debootstrap with the
#                packages already in them (debian-bases.sh; DEBIAN_MIRROR for a mirror of yours)
#   PUBLIC_BASE  the public build's base image (debian:bookworm-slim)
#
# The Java runtime is made with jlink from the JDK that runs this script (java 17 or later, the
# version the jars are built for), holding only the modules the services and Kafka use.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
say() { echo "build: $*"; }
die() { echo "error: $*" >&2; exit 1; }

version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$root/pom.xml" | head -1)
tag=${IMAGE_TAG:-${version%-SNAPSHOT}}
base=${IMAGE_BASE:-public}
modules=(gateway:9080 catalog-service:9101 session-service:9201 worker:9301)
jlink_modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.management.rmi,\
java.naming,java.net.http,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,\
java.xml,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.jcmd,jdk.jfr,jdk.management,jdk.management.jfr,jdk.naming.dns,jdk.net,\
jdk.security.auth,jdk.unsupported,jdk.zipfs

command -v docker >/dev/null || die "docker is needed (a client that reaches an engine: DOCKER_HOST)"
docker info >/dev/null 2>&1 || die "no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock})"
command -v jlink >/dev/null || die "jlink is needed (a JDK 17 or later, not a JRE)"

case "$base" in
  public)
    jre_base=${PUBLIC_BASE:-debian:bookworm-slim}
    postgres_base=$jre_base redis_base=$jre_base nginx_base=$jre_base
    ;;
  offline)
    "$here/debian-bases.sh"
    jre_base=scaleout/debian-jre:bookworm postgres_base=scaleout/debian-postgres:bookworm
    redis_base=scaleout/debian-redis:bookworm nginx_base=scaleout/debian-nginx:bookworm
    ;;
  *) die "IMAGE_BASE=$base: use public or offline" ;;
esac

missing=""
for entry in "${modules[@]}"; do
  [ -f "$root/${entry%%:*}/target/${entry%%:*}.jar" ] || missing="$missing ${entry%%:*}"
done
if [ -n "$missing" ]; then
  say "jars missing ($missing ): mvn package"
  mvn -B -q -ntp -f "$root/pom.xml" -DskipTests package || die "the Maven build failed"
fi

out=$root/target/docker
mkdir -p "$out"
kafka_libs=$out/kafka-libs
if [ ! -f "$kafka_libs.complete" ]; then
  say "fetching the Kafka server jars (Maven Central)"
  rm -rf "$kafka_libs"
  mvn -B -q -ntp -f "$root/deploy/local/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$kafka_libs" -DincludeScope=runtime || die "cannot fetch the Kafka jars"
  touch "$kafka_libs.complete"
fi

# the runtime, made again when the JDK or the module list changes
runtime=$out/runtime
stamp="$(java -version 2>&1 | head -1) $jlink_modules"
if [ "$(cat "$runtime.stamp" 2>/dev/null)" != "$stamp" ]; then
  say "jlink: a Java runtime with $(echo "$jlink_modules" | tr ',' '\n' | wc -l) modules"
  rm -rf "$runtime"
  jlink --add-modules "$jlink_modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --output "$runtime" || die "jlink failed"
  echo "$stamp" > "$runtime.stamp"
fi

# context NAME FILE...: a build context of just those files (hard links where the file system allows)
context() {
  local dir=$out/context-$1
  shift
  rm -rf "$dir"
  mkdir -p "$dir"
  local file
  for file in "$@"; do cp -al "$file" "$dir/" 2>/dev/null || cp -a "$file" "$dir/"; done
  echo "$dir"
}

# image NAME DOCKERFILE CONTEXT [BUILD-ARG...]
image() {
  local name=$1 dockerfile=$2 dir=$3 args=() arg
  shift 3
  for arg in "$@"; do args+=(--build-arg "$arg"); done
  docker build -f "$here/$dockerfile" "${args[@]}" -t "scaleout/$name:$tag" "$dir" > "$out/build-$name.log" 2>&1 \
    || { tail -20 "$out/build-$name.log" >&2; die "the image scaleout/$name:$tag did not build (see $out/build-$name.log)"; }
  say "scaleout/$name:$tag $(docker image inspect -f '{{.Size}}' "scaleout/$name:$tag" | awk '{printf "%.0f MB", $1/1e6}')"
}

image jre jre.Dockerfile "$(context jre "$runtime" "$here/ready.sh")" "BASE_IMAGE=$jre_base"
for entry in "${modules[@]}"; do
  module=${entry%%:*}
  dir=$(context "$module")
  cp -al "$root/$module/target/$module.jar" "$dir/service.jar" 2>/dev/null || cp "$root/$module/target/$module.jar" "$dir/service.jar"
  image "$module" service.Dockerfile "$dir" "JRE_IMAGE=scaleout/jre:$tag" "MODULE=$module" "MGMT_PORT=${entry#*:}"
done
image kafka kafka.Dockerfile "$(context kafka "$kafka_libs" "$here/kafka-start.sh" \
  "$root/deploy/local/kafka/server.properties.template" "$root/deploy/local/kafka/log4j2.properties")" "JRE_IMAGE=scaleout/jre:$tag"
image postgres postgres.Dockerfile "$(context postgres "$here/postgres-entrypoint.sh")" "BASE_IMAGE=$postgres_base"
image redis redis.Dockerfile "$(context redis)" "BASE_IMAGE=$redis_base"
image nginx nginx.Dockerfile "$(context nginx "$root/deploy/nginx/nginx.conf" "$here/nginx-start.sh" "$here/ready.sh")" \
  "BASE_IMAGE=$nginx_base"
rm -rf "$out"/context-*
say "done: IMAGE_TAG=$tag ($base bases)"
