#!/bin/sh
# Measures npm/pip install payloads and a Rust hello-world release binary on this machine.
# Run: sh core/src/estimate/catalog/gen/measure_payloads.sh > core/src/estimate/catalog/gen/measured-payloads.csv
# Sizes are sums of regular-file bytes (what docker counts), not du blocks.
set -u
W=$(mktemp -d)
date=$(date -u +%Y-%m-%d)
filebytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }
filecount() { find "$1" -type f | wc -l | tr -d ' '; }
NODEV=$(node --version); NPMV=$(npm --version)
for pkgs in express "react react-dom" lodash typescript axios next "@angular/core" vite webpack; do
  d="$W/npm-$(echo "$pkgs" | tr ' /@' '___')"
  mkdir -p "$d" && (cd "$d" && npm init -y >/dev/null 2>&1 && npm install --ignore-scripts --no-audit --no-fund $pkgs >/dev/null 2>&1)
  printf 'npm_install,%s,"node_modules after npm install (%s files)",%s,"npm %s node %s","measured here %s: npm install --ignore-scripts into an empty project; sum of file bytes"\n' "$pkgs" "$(filecount "$d/node_modules")" "$(filebytes "$d/node_modules")" "$NPMV" "$NODEV" "$date"
done
PYV=$(python3 --version | cut -d' ' -f2)
for pkgs in flask django requests numpy pandas fastapi "fastapi uvicorn" gunicorn psycopg2-binary; do
  d="$W/pip-$(echo "$pkgs" | tr ' ' '_')"
  python3 -m venv "$d/venv" >/dev/null 2>&1
  before=$(filebytes "$d/venv/lib")
  "$d/venv/bin/pip" install --no-cache-dir -q --disable-pip-version-check $pkgs >/dev/null 2>&1
  after=$(filebytes "$d/venv/lib")
  printf 'pip_install,%s,"site-packages growth after pip install --no-cache-dir (manylinux wheels, incl. .pyc)",%s,"python %s","measured here %s: fresh venv, pip install; sum of file bytes added under lib/"\n' "$pkgs" "$((after - before))" "$PYV" "$date"
done
# npm's own cache (~/.npm/_cacache) left by `npm install express` unless `npm cache clean --force`
d="$W/npmcache"; mkdir -p "$d/p" && (cd "$d/p" && npm init -y >/dev/null 2>&1 && npm_config_cache="$d/cache" npm install --ignore-scripts --no-audit --no-fund express >/dev/null 2>&1)
printf 'npm_cache,express,"npm cache (_cacache) after npm install express",%s,"npm %s node %s","measured here %s: sum of file bytes"\n' "$(filebytes "$d/cache")" "$NPMV" "$NODEV" "$date"
# (pip's cache could not be measured here: pip installs from a local wheelhouse on this machine.)
# Rust hello world
RV=$(rustc --version | cut -d' ' -f2)
(cd "$W" && cargo new -q hello >/dev/null 2>&1 && cd hello && CARGO_TARGET_DIR="$W/hello/target" cargo build -q --release >/dev/null 2>&1)
printf 'rust_binary,hello world (cargo new),"release, x86_64-unknown-linux-gnu, default profile",%s,"rustc %s","measured here %s: cargo build --release; stat"\n' "$(stat -c %s "$W/hello/target/release/hello")" "$RV" "$date"
printf 'rust_target_dir,hello world (cargo new),"target/ after cargo build --release",%s,"rustc %s","measured here %s: sum of file bytes"\n' "$(filebytes "$W/hello/target")" "$RV" "$date"
(cd "$W/hello" && printf '\n[profile.release]\nstrip = true\nlto = true\ncodegen-units = 1\nopt-level = "z"\npanic = "abort"\n' >> Cargo.toml && CARGO_TARGET_DIR="$W/hello/target2" cargo build -q --release >/dev/null 2>&1)
printf 'rust_binary,hello world (cargo new),"release + strip + lto + codegen-units=1 + opt-level=z + panic=abort",%s,"rustc %s","measured here %s: stat"\n' "$(stat -c %s "$W/hello/target2/release/hello")" "$RV" "$date"
rm -rf "$W"
