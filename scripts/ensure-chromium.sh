#!/usr/bin/env bash
# For the browser tests (tests/autograd/draw/test_svg_browser.py, tests/test_site.py): Chromium
# and chromedriver, from Debian's packages when missing.
# Optional: without them those tests are skipped, so a failure here only warns.
set -u
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Chromium/chromedriver are not on PATH; installing them with apt-get (a minute or two)..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
    >/dev/null && echo "Chromium and chromedriver installed in ${SECONDS} s" >&2 && exit 0
fi
echo "warning: Chromium/chromedriver not installed; the browser tests will be skipped" >&2
exit 0
