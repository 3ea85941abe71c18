#!/usr/bin/env bash
# The build steps of the portal image, shared by the Dockerfile, the bundle
# integration test (e2e/integration/bundle.spec.ts) and the bundle benchmark,
# so what the test starts is what the image runs.
#
#   build-bundle.sh build <stage>          in a repository checkout: install with
#                                          the lockfile, type check, build the
#                                          backend bundle (with the frontend), and
#                                          put what the runtime needs into <stage>
#   build-bundle.sh runtime <stage> <app>  production dependencies plus the bundle
#                                          and the runtime files, into <app>
#   build-bundle.sh all <out>              both, from a copy of the Docker build
#                                          context: <out>/context, <out>/stage,
#                                          <out>/app (what the image holds in /app)
#
# `all` reuses <out>/app when it was built from the same sources (a hash of
# the context is kept in <out>/app/.bundle-source); BUNDLE_REBUILD=1 forces a
# fresh build, BUNDLE_REUSE=any takes the last good build whatever its sources
# (for working on the tests while the checkout does not build).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
YARN_RELEASE=".yarn/releases/yarn-4.13.0.cjs"

# Files the backend reads at run time, relative to /app: the config files the
# image starts with, the portal's own entities (catalog.locations in
# app-config.production.yaml), the TechDocs sources of those entities
# (backstage.io/techdocs-ref: dir:.) and the default permission policy
# (permission.portalPolicy.policyFile), and the OpenTelemetry instrumentation
# file the image's CMD `--require`s (it lands in /app; what it loads is in the
# bundle). The golden-path templates are not among them: production reads them
# from Git (TEMPLATES_LOCATION_URL), so changing one needs no new image.
# BUNDLE_RUNTIME_FILES (space-separated) replaces the list, for the benchmark's
# vanilla app.
RUNTIME_FILES=(
  app-config.yaml
  app-config.production.yaml
  catalog-info.yaml
  mkdocs.yml
  docs
  permission-policy.yaml
  packages/backend/src/instrumentation.js
)
if [ -n "${BUNDLE_RUNTIME_FILES:-}" ]; then
  read -r -a RUNTIME_FILES <<<"$BUNDLE_RUNTIME_FILES"
fi

log() { printf 'build-bundle: %s\n' "$*" >&2; }

# Seconds since an earlier `date +%s`, for the timings the test reports.
since() { echo "$(($(date +%s) - $1))s"; }

yarn_() { node "$YARN_RELEASE" "$@"; }

cmd_build() {
  local stage="${1:?usage: build-bundle.sh build <stage>}"
  local t0 t
  t0=$(date +%s)

  t=$(date +%s)
  yarn_ install --immutable
  log "install took $(since "$t")"

  t=$(date +%s)
  yarn_ tsc
  log "tsc took $(since "$t")"

  # The backend build also builds packages/app (a `bundled` dependency of the
  # backend) and packs its dist into the bundle, where app-backend serves it.
  t=$(date +%s)
  yarn_ build:backend
  log "build:backend took $(since "$t")"

  local dist=packages/backend/dist
  # The listing is read whole: with pipefail, `grep -q` closing the pipe early
  # would fail the check.
  local listing
  listing="$(tar -tzf "$dist/bundle.tar.gz")"
  if ! grep -Eq '^(\./)?packages/app/dist/index\.html' <<<"$listing"; then
    log "the bundle does not contain the built frontend (packages/app/dist)"
    exit 1
  fi

  rm -rf "$stage"
  mkdir -p "$stage/files/.yarn" "$stage/runtime"
  cp "$dist/bundle.tar.gz" "$dist/skeleton.tar.gz" "$stage/"
  cp -r .yarn/releases "$stage/files/.yarn/"
  # The lockfile resolves patched dependencies (`patch:` entries) from these.
  if [ -d .yarn/patches ]; then
    cp -r .yarn/patches "$stage/files/.yarn/"
  fi
  cp .yarnrc.yml backstage.json package.json yarn.lock "$stage/files/"
  cp -r "${RUNTIME_FILES[@]}" "$stage/runtime/"
  cp "$HERE/build-bundle.sh" "$stage/"
  log "build took $(since "$t0"); staged in $stage"
}

cmd_runtime() {
  local stage="${1:?usage: build-bundle.sh runtime <stage> <app>}"
  local app="${2:?usage: build-bundle.sh runtime <stage> <app>}"
  local t
  stage="$(cd "$stage" && pwd)"
  mkdir -p "$app"
  app="$(cd "$app" && pwd)"

  t=$(date +%s)
  # The root manifest, lockfile and yarn first, then the workspace manifests
  # from the skeleton: exactly what `workspaces focus` needs to resolve the
  # production dependency tree from the lockfile.
  cp -r "$stage/files/.yarn" "$stage/files/.yarnrc.yml" \
    "$stage/files/backstage.json" "$stage/files/package.json" \
    "$stage/files/yarn.lock" "$app/"
  tar -xzf "$stage/skeleton.tar.gz" -C "$app" --no-overwrite-dir
  (cd "$app" && yarn_ workspaces focus --all --production)
  # The package cache and install state are of no use at run time; the image
  # keeps only the yarn release for `yarn` in a debug shell.
  rm -rf "$app/.yarn/cache" "$app/.yarn/install-state.gz"
  log "production install took $(since "$t")"

  # The bundle's root entry carries the mode of the CLI's temporary folder
  # (0700); it must not replace that of <app>.
  tar -xzf "$stage/bundle.tar.gz" -C "$app" --no-overwrite-dir
  cp -r "$stage/runtime/." "$app/"
}

# The Docker build context: what git would commit (tracked and untracked, not
# ignored) minus what .dockerignore leaves out, as the image build sees it.
copy_context() {
  local src="$1" dest="$2"
  local -a ignore=()
  local pattern
  while IFS= read -r pattern; do
    case "$pattern" in '' | '#'*) continue ;; esac
    ignore+=("$pattern")
  done <"$src/.dockerignore"
  rm -rf "$dest"
  mkdir -p "$dest"
  (
    cd "$src"
    git ls-files -z --cached --others --exclude-standard |
      node -e '
        // The .dockerignore forms used here: "name" and "dir/name" from the
        // root, "**/name" at any depth, "*.ext" suffixes.
        const rules = process.argv.slice(1).map(p => ({
          anywhere: p.startsWith("**/"),
          p: p.replace(/^\*\*\//, ""),
        }));
        const under = (file, p) => file === p || file.startsWith(p + "/");
        const skip = file =>
          rules.some(({ anywhere, p }) => {
            if (p.startsWith("*.")) return file.endsWith(p.slice(1));
            if (!anywhere) return under(file, p);
            const parts = file.split("/");
            return parts.some((_, i) => under(parts.slice(i).join("/"), p));
          });
        let input = "";
        process.stdin.on("data", c => (input += c));
        process.stdin.on("end", () => {
          const fs = require("node:fs");
          const files = input.split("\0").filter(f => f && !skip(f) && fs.existsSync(f));
          process.stdout.write(files.join("\0"));
        });
      ' "${ignore[@]}" |
      tar --null -T - -cf -
  ) | tar -xf - -C "$dest"
}

cmd_all() {
  local out="${1:?usage: build-bundle.sh all <out>}"
  local root t0 hash
  root="$(cd "$HERE/.." && pwd)"
  mkdir -p "$out"
  out="$(cd "$out" && pwd)"
  # Test runs in the same checkout share <out>; one builds, the others wait
  # and then reuse its result.
  exec 9>"$out/.lock"
  if ! flock -n 9; then
    log "waiting for another build into $out"
    flock 9
  fi
  t0=$(date +%s)

  if [ "${BUNDLE_REUSE:-}" = any ] && [ -f "$out/app/.bundle-source" ]; then
    log "reusing $out/app as it is (BUNDLE_REUSE=any), whatever it was built from"
    return
  fi
  copy_context "$root" "$out/context.new"
  hash="$(cd "$out/context.new" && find . -type f -print0 | LC_ALL=C sort -z |
    xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
  if [ "${BUNDLE_REBUILD:-}" != 1 ] && [ -f "$out/app/.bundle-source" ] &&
    [ "$(cat "$out/app/.bundle-source")" = "$hash" ]; then
    rm -rf "$out/context.new"
    log "reusing $out/app, built from the same sources"
    return
  fi
  rm -rf "$out/context" "$out/stage.new" "$out/app.new"
  mv "$out/context.new" "$out/context"

  # The last good build stays in place until this one has succeeded.
  (cd "$out/context" && "$HERE/build-bundle.sh" build "$out/stage.new")
  "$HERE/build-bundle.sh" runtime "$out/stage.new" "$out/app.new"
  echo "$hash" >"$out/app.new/.bundle-source"
  rm -rf "$out/stage" "$out/app"
  mv "$out/stage.new" "$out/stage"
  mv "$out/app.new" "$out/app"
  log "all took $(since "$t0"); the image's /app is $out/app"
}

case "${1:-}" in
build) cmd_build "${@:2}" ;;
runtime) cmd_runtime "${@:2}" ;;
all) cmd_all "${@:2}" ;;
*)
  sed -n '2,20p' "$0" >&2
  exit 2
  ;;
esac
