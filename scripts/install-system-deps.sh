#!/usr/bin/env bash
# Installs what the tests need from Debian's apt: Chromium for the UI tests (never a
# downloaded browser), Xvfb for headed screenshots and the X11 idle-time test, and
# xprintidle + xdotool for that test (read the idle counter, make synthetic input).
# Does nothing when all are there.
set -euo pipefail
need=()
# CHROMIUM_PATH names another Chromium-based browser to test with (e.g. a CI runner's Chrome,
# where apt's chromium is only a snap stub); then none is installed.
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then :; else
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
command -v xvfb-run >/dev/null 2>&1 || need+=(xvfb)
command -v xprintidle >/dev/null 2>&1 || need+=(xprintidle)
command -v xdotool >/dev/null 2>&1 || need+=(xdotool)
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: chromium, xvfb, xprintidle and xdotool already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "please install: ${need[*]} (this script knows only apt-get)" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing from apt: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
