# Shared by scripts/demo.sh and scripts/test.sh (sourced, not run): the virtualenv and Debian packages.
# Everything here is safe to repeat: a second run finds the work done and only checks.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"

say() { printf '\n==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

# Run a command as root: directly, through sudo, or not at all (returns 1).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    return 1
  fi
}

can_be_root() { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }

apt_updated=""
# apt_install PACKAGE...: install Debian packages that are not installed yet. Returns 1 if it can't.
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1 || ! can_be_root; then
    warn "cannot install ${missing[*]}: needs apt-get and root or sudo"
    return 1
  fi
  say "Installing Debian packages: ${missing[*]}"
  if [ -z "$apt_updated" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# A Python 3.11 (pyproject.toml: requires-python >=3.11,<3.12); Debian 12's python3 is one.
find_python() {
  local candidate
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

# ensure_venv [EXTRAS]: .venv with the project installed (editable, with EXTRAS such as "test").
# Reinstalls only when pyproject.toml changed since the last install with those extras.
ensure_venv() {
  local extras=${1:-} python stamp wanted
  if [ ! -x "$VENV/bin/python" ]; then
    if ! python=$(find_python); then
      apt_install python3 python3-venv || true
      python=$(find_python) || { echo "Python 3.11 is needed (Debian 12: apt-get install python3 python3-venv)." >&2; exit 1; }
    fi
    say "Creating .venv with $python"
    if ! "$python" -m venv "$VENV"; then
      # Debian's python3 lacks ensurepip until python3-venv is installed.
      rm -rf "$VENV"
      apt_install python3-venv "python$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv" || true
      "$python" -m venv "$VENV"
    fi
  fi
  stamp="$VENV/.kaowu-installed${extras:+-$extras}"
  wanted=$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    say "Installing kaowu${extras:+[$extras]} into .venv (pyproject.toml is new or changed)"
    "$VENV/bin/python" -m pip install -qq --disable-pip-version-check -e "$ROOT${extras:+[$extras]}"
    echo "$wanted" > "$stamp"
    # Extras include the base install: mark it done too.
    [ -n "$extras" ] && echo "$wanted" > "$VENV/.kaowu-installed"
  fi
  return 0
}
