#!/usr/bin/env bash
# The whole test suite (`npm test`): build, lint, type-check, then jest over unit + routing
# (n8n-core 1.x and 2.x), generated runs against a reference model (both lines), the e2e
# suite in real n8n 1.x and 2.x, and the browser suite on the
# real editor. Prints "N passed, N failed" last; exits non-zero if anything failed or nothing ran.
# Real n8n is installed once into ~/.cache/n8n-nodes-zoho-crm-related-records (N8N_E2E_CACHE).
set -uo pipefail
cd "$(dirname "$0")/.."

summary_dir=$(mktemp -d)
trap 'rm -rf "$summary_dir"' EXIT
passed=0
failed=0

step() { echo; echo "=== $* ==="; }
check() { # name, command…: a non-test step counts as one passed/failed check
	local name=$1; shift
	step "$name"
	if "$@"; then passed=$((passed + 1)); else echo "FAILED: $name"; failed=$((failed + 1)); fi
}
suite() { # name, jest args…: adds jest's own counts
	local name=$1; shift
	local file="$summary_dir/$name.json"
	step "$name"
	TEST_SUMMARY_FILE="$file" npx jest "$@"
	local rc=$?
	if [ -f "$file" ]; then
		local p f
		p=$(node -p "require('$file').passed")
		f=$(node -p "require('$file').failed")
		passed=$((passed + p)); failed=$((failed + f))
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
	else
		echo "FAILED: $name produced no results"; failed=$((failed + 1))
	fi
}

check build npm run --silent build
check lint npm run --silent lint
check typecheck npm run --silent typecheck
suite unit-and-routing --selectProjects unit routing-v1 routing-v2
# 500 generated runs per n8n line against the reference model (test/model), the two lines at once
MODEL_RUNS=${MODEL_RUNS:-500} suite model --selectProjects model-v1 model-v2 --maxWorkers=2
if [ "${SKIP_E2E:-0}" != 1 ]; then
	suite e2e --config test/e2e/jest.config.js
	check chromium bash scripts/ensure-chromium.sh
	BROWSER_DOCS_SCREENSHOTS=${BROWSER_DOCS_SCREENSHOTS:-0} suite browser --config test/browser/jest.config.js
fi

echo
echo "$passed passed, $failed failed" | tee "${TEST_TOTALS_FILE:-/dev/null}"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
