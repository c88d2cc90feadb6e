#!/usr/bin/env bash
# Installs Debian's redis-server when it is missing, for the replica tests (test/http/replicas.test.ts),
# which start their own instance on a free loopback port. Nothing is started here.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  redis-server --version
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-redis: redis-server is missing; install it (apt-get install redis-server) or run this as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends redis-server >/dev/null
redis-server --version
