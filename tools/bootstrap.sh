#!/usr/bin/env bash
# Installs what staffplan needs on a fresh Debian machine, quietly and
# idempotently: Debian packages (only when missing) and a virtual
# environment with the Python packages of requirements-dev.txt (only when
# that file changed).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="build-essential cmake pkg-config libglpk-dev glpk-utils libcriterion-dev valgrind coinor-cbc"
missing=""
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "bootstrap: installing Debian packages:$missing"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  log=$(mktemp)
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      $SUDO apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
    cat "$log"
    exit 1
  fi
  rm -f "$log"
fi

VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  echo "bootstrap: creating $VENV"
  python3 -m venv --system-site-packages "$VENV"
fi
stamp="$VENV/.requirements-dev.sha"
want=$(sha256sum requirements-dev.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: installing Python packages (requirements-dev.txt)"
  log="$VENV/pip-install.log"
  if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
      -r requirements-dev.txt >"$log" 2>&1; then
    cat "$log"
    exit 1
  fi
  echo "$want" > "$stamp"
fi
