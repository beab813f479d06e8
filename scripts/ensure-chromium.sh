#!/usr/bin/env bash
# For tests/test_svg_browser.py: Chromium and chromedriver, from Debian's packages when missing.
# Optional: without them that one test is skipped, so a failure here only warns.
set -u
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
    >/dev/null && exit 0
fi
echo "warning: Chromium/chromedriver not installed; the browser hover test will be skipped" >&2
exit 0
