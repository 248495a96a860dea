#!/usr/bin/env bash
# The queue-mode e2e test (test/e2e/queue-mode.e2e.test.ts) runs its own Postgres and Redis
# from Debian's packages, on loopback, in a throwaway data folder: install them when missing.
# Only the binaries are used; the Debian service (cluster "main", redis-server.service) is
# neither started nor changed by the test. Prints nothing and exits 0 when both are there.
set -euo pipefail
pg_bin() { # the newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
	done
	return 1
}
have_redis() { command -v redis-server >/dev/null 2>&1; }

missing=()
pg_bin >/dev/null || missing+=(postgresql)
have_redis || missing+=(redis-server)
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
	echo "${missing[*]} missing: run 'sudo apt-get update && sudo apt-get install -y ${missing[*]}'" >&2
	exit 1
fi
echo "installing Debian's ${missing[*]} for the queue-mode e2e test…" >&2
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: the packages' postinst must not start their system services (the test
# starts its own throwaway instances; a system Postgres on 5432 would only cost memory).
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
fi
trap 'if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi' EXIT
apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
pg_bin >/dev/null
have_redis
