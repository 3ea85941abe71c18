#!/usr/bin/env bash
# Bundle benchmark (not a test): size, cold start to ready, memory at rest and
# first-load bytes in Chromium (sign-in page, catalog page) of this portal's
# production bundle beside a vanilla `@backstage/create-app` 0.9.2 app built
# the same way (scripts/build-bundle.sh). The entry of
# `yarn bench bundle` (bench/run.ts); figures go to stdout and, under the
# runner, to $BENCH_OUT (bench/figures.ts).
#
#   bench/bundle/run.sh                        build what is missing, then measure
#   BENCH_SKIP_VANILLA=1 bench/bundle/run.sh   the portal only
#   BENCH_QUICK=1 bench/bundle/run.sh          smoke test: the last good portal
#                                              build whatever its sources, the
#                                              vanilla app only if already built,
#                                              5 s at rest instead of 30 s
#
# Both builds are kept under .scratch/ and reused; delete .scratch/bench/vanilla*
# to rebuild the vanilla app.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../scripts/toolchain.sh
source "$ROOT/scripts/toolchain.sh"
# Debian keeps the PostgreSQL server binaries off PATH.
if ! command -v initdb >/dev/null 2>&1; then
  PATH="$PATH:$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi

BENCH="$ROOT/.scratch/bench"
VANILLA="$BENCH/vanilla"
mkdir -p "$BENCH"
log() { printf 'bench: %s\n' "$*" >&2; }

if [ "${BENCH_QUICK:-}" = 1 ]; then
  export BUNDLE_REUSE=any
fi
t=$(date +%s)
"$ROOT/scripts/build-bundle.sh" all "$ROOT/.scratch/bundle"
log "portal bundle ready after $(($(date +%s) - t))s"

args=(--portal "$ROOT/.scratch/bundle/app")

if [ "${BENCH_QUICK:-}" = 1 ] && [ ! -f "$BENCH/vanilla-app/.bundle-source" ]; then
  log "quick: no vanilla app built yet; run 'yarn bench bundle' once to build it"
  BENCH_SKIP_VANILLA=1
fi

if [ "${BENCH_SKIP_VANILLA:-}" != 1 ]; then
  if [ ! -f "$BENCH/vanilla-app/.bundle-source" ]; then
    if [ ! -f "$VANILLA/package.json" ]; then
      # The app name is create-app's only question.
      (cd "$BENCH" && printf 'vanilla\n' |
        npx -y @backstage/create-app@0.9.2 --skip-install --path vanilla)
    fi
    # The registry copy lacks some platform binaries of the newest releases
    # ("No candidates found"): the same pins as the portal's root
    # package.json, and the same yarn release and .yarnrc.yml.
    node -e '
      const fs = require("fs");
      const ours = JSON.parse(fs.readFileSync(process.argv[1] + "/package.json"));
      const file = process.argv[2] + "/package.json";
      const theirs = JSON.parse(fs.readFileSync(file));
      for (const name of ["@swc/core", "rollup", "unrs-resolver", "@yarnpkg/core"]) {
        theirs.resolutions[name] = ours.resolutions[name];
      }
      fs.writeFileSync(file, JSON.stringify(theirs, null, 2) + "\n");
    ' "$ROOT" "$VANILLA"
    mkdir -p "$VANILLA/.yarn/releases"
    cp "$ROOT/.yarn/releases/yarn-4.13.0.cjs" "$VANILLA/.yarn/releases/"
    cp "$ROOT/.yarnrc.yml" "$VANILLA/.yarnrc.yml"
    t=$(date +%s)
    # create-app seeds yarn.lock from the release's own lockfile on GitHub,
    # which is out of reach here. Without a seed the template's ranges mix
    # releases (a newer plugin-signals-backend on the older backend-defaults
    # fails at start-up with "httpRouter.addWebSocketHandler is not a
    # function"), so the portal's lockfile, of the same release 1.55, is the
    # seed. The first install prunes and completes it; the build step's
    # `install --immutable` then holds the app to it.
    cp "$ROOT/yarn.lock" "$VANILLA/yarn.lock"
    # The linker of a first install sometimes trips over its own hoisting
    # ("While cloning … ENOENT"); a second run completes it.
    (cd "$VANILLA" && { node .yarn/releases/yarn-4.13.0.cjs install ||
      node .yarn/releases/yarn-4.13.0.cjs install; })
    log "vanilla first install took $(($(date +%s) - t))s"
    t=$(date +%s)
    (cd "$VANILLA" && BUNDLE_RUNTIME_FILES="app-config.yaml app-config.production.yaml examples" \
      bash "$ROOT/scripts/build-bundle.sh" build "$BENCH/vanilla-stage")
    rm -rf "$BENCH/vanilla-app"
    bash "$ROOT/scripts/build-bundle.sh" runtime "$BENCH/vanilla-stage" "$BENCH/vanilla-app"
    echo vanilla >"$BENCH/vanilla-app/.bundle-source"
    log "vanilla build took $(($(date +%s) - t))s"
  fi
  args+=(--vanilla "$BENCH/vanilla-app")
fi

cd "$ROOT"
exec node --require "$(node -p 'require.resolve("@backstage/cli-node/config/nodeTransform.cjs")')" \
  bench/bundle/measure.ts "${args[@]}"
