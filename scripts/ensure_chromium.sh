#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (Playwright's own download cannot be used here).
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing chromium from Debian's packages for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "no /usr/bin/chromium and no root to install it: browser tests will fail (apt-get install chromium)"
fi
