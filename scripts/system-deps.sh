# Sourced by ./scripts/start and ./scripts/test: Debian packages the portal
# needs at run time (mkdocs for TechDocs) and for tests (Chromium, PostgreSQL).
# Installs what is missing when running as root; otherwise says what to install.
portal_missing_debs() {
  local want="$1" missing=()
  command -v mkdocs >/dev/null 2>&1 || missing+=(mkdocs)
  python3 -c 'import material' >/dev/null 2>&1 || missing+=(mkdocs-material)
  if [ "$want" = test ]; then
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  fi
  echo "${missing[@]}"
}

portal_system_deps() {
  local missing
  missing="$(portal_missing_debs "$1")"
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "system-deps: installing $missing" >&2
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
      echo "system-deps: please install these Debian packages: $missing" >&2
      return 1
    fi
  fi
  # Debian keeps the PostgreSQL server binaries off PATH.
  if ! command -v initdb >/dev/null 2>&1; then
    local pgbin
    pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    [ -n "$pgbin" ] && export PATH="$PATH:$pgbin"
  fi
  return 0
}
