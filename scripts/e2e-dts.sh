#!/usr/bin/env bash
# Regenerates test/e2e/n8n-harness.d.ts from the JSDoc of test/e2e/n8n-harness.js and
# type-checks the e2e scripts (plain JS with // @ts-check). Run after editing the harness.
set -euo pipefail
cd "$(dirname "$0")/.."
tsc=./node_modules/.bin/tsc
opts=(--allowJs --strict --target es2022 --module commonjs --moduleResolution node --types node --skipLibCheck)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rm -f test/e2e/n8n-harness.d.ts
"$tsc" "${opts[@]}" --declaration --emitDeclarationOnly --outDir "$out" test/e2e/n8n-harness.js
{
	echo '// Generated from the JSDoc of n8n-harness.js by scripts/e2e-dts.sh: do not edit by hand.'
	cat "$out/n8n-harness.d.ts"
} >test/e2e/n8n-harness.d.ts
./node_modules/.bin/prettier --use-tabs --single-quote --print-width 100 --trailing-comma all \
	--log-level warn --write test/e2e/n8n-harness.d.ts
"$tsc" "${opts[@]}" --checkJs --noEmit test/e2e/*.js
echo "test/e2e/n8n-harness.d.ts regenerated; e2e scripts type-check"
