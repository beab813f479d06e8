#!/usr/bin/env bash
# Make sure Graphviz's `dot` is on PATH: nothing if it is, else the first package manager found.
set -u
if command -v dot >/dev/null 2>&1; then
  exit 0
fi
echo "Graphviz's 'dot' is not on PATH; installing Graphviz (about a minute)..." >&2
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}
if command -v apt-get >/dev/null 2>&1; then
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz
elif command -v brew >/dev/null 2>&1; then
  brew install graphviz
elif command -v dnf >/dev/null 2>&1; then
  as_root dnf install -y graphviz
elif command -v conda >/dev/null 2>&1; then
  conda install -y -c conda-forge graphviz
fi
if command -v dot >/dev/null 2>&1; then
  exit 0
fi
cat >&2 <<'MSG'
Could not install Graphviz. Install it yourself, then run make again:
  Debian/Ubuntu: sudo apt-get install graphviz      macOS: brew install graphviz
  Fedora: sudo dnf install graphviz                 conda: conda install -c conda-forge graphviz
Everything but rendering graphs to SVG/PNG works without it.
MSG
exit 1
