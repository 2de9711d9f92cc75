# Shared by scripts/run and scripts/test: find or install uv, then the locked dependencies.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ensure_uv() {
  if command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; then
    UV="$(command -v uv)"
    return
  fi
  # Installed outside pyenv's reach: a pyenv shim would hide it in a 3.12 directory.
  local tool_dir="${HOME}/.cache/uv-tool"
  if [ ! -x "$tool_dir/bin/uv" ]; then
    echo "Installing uv into $tool_dir ..."
    (cd / && python3 -m venv "$tool_dir" && "$tool_dir/bin/pip" install -q uv)
  fi
  UV="$tool_dir/bin/uv"
}

ensure_python_deps() {
  ensure_uv
  "$UV" sync --frozen --quiet
  PY="$ROOT/.venv/bin/python"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  # Install Debian packages that are missing; apt-get update only when needed.
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "Installing ${missing[*]} ..."
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}
