#!/usr/bin/env bash
# Packs the npm package as `npm publish` would, installs the tarball into an empty folder and runs
# the installed bin the ways users do: --version, MCP over stdio on --demo (stdout protocol frames
# only), and doctor against the emulator. Fails when the tarball holds anything but what the bin
# loads at run time. The registry is only asked for what the local npm cache lacks.
# Usage: bash scripts/pack-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$(mktemp -d)
EMU_PID=
FAILED=0
T0=$(date +%s.%N)
PHASE_START=$T0

cleanup() {
  if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
phase() {
  echo "-- $1: $(elapsed "$PHASE_START") s"
  PHASE_START=$(date +%s.%N)
}
ok() { echo "ok   $*"; }
fail() {
  echo "FAIL $*"
  FAILED=$((FAILED + 1))
}

VERSION=$(node -p 'require("./package.json").version')

# --- pack (prepack builds) -----------------------------------------------------------------------
mkdir -p "$WORK/pack" "$WORK/app"
npm pack --silent --pack-destination "$WORK/pack" >"$WORK/pack.log" 2>&1 || {
  tail -n 30 "$WORK/pack.log"
  echo "FAIL npm pack"
  exit 1
}
TGZ=$(ls "$WORK/pack"/odoo-mcp-[0-9]*.tgz)
tar -tzf "$TGZ" | sed 's|^package/||' | sort >"$WORK/files.txt"
count=$(grep -c . "$WORK/files.txt")
size=$(stat -c %s "$TGZ")
unpacked=$(tar -xzOf "$TGZ" | wc -c)
echo "tarball $(basename "$TGZ"): $(awk -v s="$size" 'BEGIN { printf "%.2f MB", s / 1e6 }') packed, $(awk -v s="$unpacked" 'BEGIN { printf "%.2f MB", s / 1e6 }') unpacked, $count files"
# The bin is self-contained (esbuild bundle plus lazy chunks) and seeds the emulator from data/; tsc's
# module tree, declarations, maps, sources and tests stay out.
extra=$(grep -v -E '^(package\.json|README\.md|LICENSE|dist/cli\.js|dist/chunks/[^/]+\.(js|cjs|cache)|data/.+)$' "$WORK/files.txt" || true)
if [ -z "$extra" ]; then ok "tarball holds only package.json, README, dist/cli.js, dist/chunks/, data/"; else
  fail "unexpected files in the tarball: $(echo "$extra" | head -n 10 | tr '\n' ' ')"
fi
for need in package.json README.md dist/cli.js; do
  grep -qx "$need" "$WORK/files.txt" || fail "$need missing from the tarball"
done
grep -q '^data/emulator/19.0/' "$WORK/files.txt" || fail "data/emulator missing from the tarball"
phase "pack"

# --- install -------------------------------------------------------------------------------------
(cd "$WORK/app" && echo '{"name":"pack-check","private":true}' >package.json &&
  npm install --no-audit --no-fund --prefer-offline --loglevel=error "$TGZ" >"$WORK/install.log" 2>&1) || {
  tail -n 30 "$WORK/install.log"
  echo "FAIL npm install of the tarball"
  exit 1
}
BIN="$WORK/app/node_modules/.bin/odoo-mcp-server"
[ -x "$BIN" ] || fail "no odoo-mcp-server bin after install"
# The npm package is odoo-mcp (the npm name odoo-mcp-server is an unrelated project); its bin keeps the name.
[ -f "$WORK/app/node_modules/odoo-mcp/package.json" ] || fail "the tarball did not install as node_modules/odoo-mcp"
echo "installed into an empty folder: $(du -sh "$WORK/app/node_modules" | cut -f1) of node_modules"
phase "install"

# --- run the installed bin, away from the repository (npx --no: never the registry's package) ---------------------------------------------
cd "$WORK/app"
got=$(npx --no -- odoo-mcp-server --version 2>&1) || true
if [ "$got" = "$VERSION" ]; then ok "npx odoo-mcp-server --version: $got"; else fail "npx odoo-mcp-server --version: '$got', expected $VERSION"; fi

printf '%s\n' \
  '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"pack-check","version":"1"}}}' \
  '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
  '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' |
  timeout 30 npx --no -- odoo-mcp-server --demo >"$WORK/stdio.out" 2>"$WORK/stdio.err" || true
if verdict=$(node -e '
const lines = require("node:fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
const frames = lines.map((l) => { try { return JSON.parse(l); } catch { return null; } });
const bad = lines.filter((_, i) => frames[i]?.jsonrpc !== "2.0");
if (bad.length) { console.log(`stdout has ${bad.length} non-protocol line(s): ${bad[0].slice(0, 120)}`); process.exit(1); }
const list = frames.find((f) => f.id === 2);
const n = list?.result?.tools?.length ?? 0;
if (!frames.find((f) => f.id === 1)?.result?.serverInfo || n === 0) { console.log(`no initialize/tools/list answer: ${lines.join(" ").slice(0, 200)}`); process.exit(1); }
console.log(`${lines.length} protocol frames on stdout, tools/list: ${n} tools`);
' "$WORK/stdio.out"); then ok "stdio --demo: $verdict"; else
  fail "stdio --demo: $verdict; stderr: $(head -c 300 "$WORK/stdio.err")"
fi

PORT=$(node -e 's=require("node:net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')
"$BIN" emulator --port "$PORT" >"$WORK/emulator.out" 2>"$WORK/emulator.err" &
EMU_PID=$!
for _ in $(seq 1 80); do
  node -e "process.exitCode=1;fetch('http://127.0.0.1:$PORT/web/webclient/version_info',{method:'POST',headers:{'content-type':'application/json'},body:'{}'}).then(()=>process.exit(0),()=>process.exit(1))" 2>/dev/null && break
  sleep 0.1
done
# The emulator's 19.0 profile names its database "odoo" and seeds admin with the corpus' placeholder key.
if doctor=$(ODOO_URL="http://127.0.0.1:$PORT" ODOO_DB=odoo ODOO_USERNAME=admin \
  ODOO_API_KEY=ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000 timeout 30 npx --no -- odoo-mcp-server doctor 2>"$WORK/doctor.err"); then
  ok "doctor against the emulator on port $PORT:"
  echo "$doctor" | sed 's/^/       /'
else
  fail "doctor exited non-zero: $doctor $(head -c 300 "$WORK/doctor.err"); emulator: $(head -c 300 "$WORK/emulator.err")"
fi
kill "$EMU_PID" 2>/dev/null || true
wait "$EMU_PID" 2>/dev/null || true
EMU_PID=
cd "$ROOT"
phase "run"

# --- global install, update in place, uninstall (the README's npm -g lines) ----------------------
G="$WORK/global"
if npm install -g --prefix "$G" --no-audit --no-fund --prefer-offline --loglevel=error "$TGZ" >"$WORK/global.log" 2>&1 &&
  [ "$("$G/bin/odoo-mcp-server" --version 2>&1)" = "$VERSION" ]; then
  ok "npm install -g: odoo-mcp-server --version $VERSION"
else
  fail "npm install -g: $(tail -n 5 "$WORK/global.log")"
fi
if npm install -g --prefix "$G" --no-audit --no-fund --prefer-offline --loglevel=error "$TGZ" >"$WORK/global.log" 2>&1 &&
  [ "$("$G/bin/odoo-mcp-server" --version 2>&1)" = "$VERSION" ]; then
  ok "npm install -g again over the installed one"
else
  fail "npm install -g over an install: $(tail -n 5 "$WORK/global.log")"
fi
if npm uninstall -g --prefix "$G" --loglevel=error odoo-mcp >"$WORK/global.log" 2>&1 && [ ! -e "$G/bin/odoo-mcp-server" ] &&
  [ ! -e "$G/lib/node_modules/odoo-mcp" ]; then
  ok "npm uninstall -g removes the bin and the package"
else
  fail "npm uninstall -g: $(tail -n 5 "$WORK/global.log")"
fi
phase "global install"

# --- the systemd unit, run against the installed bin ---------------------------------------------
if command -v systemd-analyze >/dev/null 2>&1; then
  # verify checks that ExecStart exists: point it at this install, and let the env file be absent.
  sed -e "s|^ExecStart=odoo-mcp-server |ExecStart=$BIN |" -e 's|^EnvironmentFile=/|EnvironmentFile=-/|' \
    contrib/systemd/odoo-mcp-server.service >"$WORK/odoo-mcp-server.service"
  if out=$(systemd-analyze verify "$WORK/odoo-mcp-server.service" 2>&1); then
    ok "systemd-analyze verify contrib/systemd/odoo-mcp-server.service"
  else
    fail "systemd-analyze verify: $out"
  fi
  exposure=$(systemd-analyze security --offline=yes "$WORK/odoo-mcp-server.service" 2>/dev/null | grep -o 'exposure level.*' || true)
  [ -z "$exposure" ] || echo "     systemd-analyze security: $exposure"
else
  echo "skip systemd-analyze verify: systemd-analyze is not installed"
fi
phase "systemd unit"

echo "pack-check: $FAILED failed, total $(elapsed "$T0") s"
[ "$FAILED" = 0 ]
