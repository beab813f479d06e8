#!/usr/bin/env bash
# Create the virtual environment .venv (on Debian/Ubuntu, python3 -m venv may need python3-venv).
set -eu
venv=${1:-.venv}
[ -x "$venv/bin/python" ] && exit 0
if ! python3 -m venv "$venv" 2>/dev/null; then
  rm -rf "$venv"
  echo "python3 -m venv failed; trying to install the python3-venv package..." >&2
  if command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    python3 -m venv "$venv"
  else
    echo "Could not create $venv: install Python's venv module (python3-venv), then run make again." >&2
    exit 1
  fi
fi
