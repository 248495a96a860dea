#!/usr/bin/env bash
# Regenerates test/harness/index.d.ts (the harness's one entry, its types and re-exports) from
# the JSDoc of test/harness/index.js, and type-checks every harness file (plain JS with
# // @ts-check). Run after editing the harness.
set -euo pipefail
cd "$(dirname "$0")/.."
tsc=./node_modules/.bin/tsc
opts=(--allowJs --strict --target es2022 --module commonjs --moduleResolution node --types node --skipLibCheck)
dts=test/harness/index.d.ts
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rm -f "$dts"
"$tsc" "${opts[@]}" --declaration --emitDeclarationOnly --outDir "$out" test/harness/index.js
{
	echo '// Generated from the JSDoc of index.js by scripts/e2e-dts.sh: do not edit by hand.'
	cat "$out/index.d.ts"
} >"$dts"
./node_modules/.bin/prettier --use-tabs --single-quote --print-width 100 --trailing-comma all \
	--log-level warn --write "$dts"
"$tsc" "${opts[@]}" --checkJs --noEmit $(find test/harness -name '*.js' | sort)
echo "$dts regenerated; the harness type-checks"
