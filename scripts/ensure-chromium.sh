#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (/usr/bin/chromium): install it when missing.
set -euo pipefail
chromium=${BROWSER_CHROMIUM:-/usr/bin/chromium}
if [ -x "$chromium" ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
	echo "Chromium is missing: run 'sudo apt-get update && sudo apt-get install -y chromium' (or set BROWSER_CHROMIUM)" >&2
	exit 1
fi
echo "installing Debian's chromium for the browser tests…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq chromium >/dev/null
test -x "$chromium"
