#!/bin/bash
# scaleout-ready [PORT [PATH]]: the images' health check. Asks http://127.0.0.1:PORT/PATH (by
# default $MGMT_PORT and /health/ready) and succeeds on a 200. bash's /dev/tcp is the client, so
# the images need no curl.
port=${1:-$MGMT_PORT}
path=${2:-/health/ready}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
IFS= read -r -t 3 status <&3 || exit 1
[[ $status == "HTTP/1."?" 200"* ]]
