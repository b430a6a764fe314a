#!/usr/bin/env bash
# Installs the Debian packages Pressroom needs, when missing.
#   runtime (for npm start): ffmpeg (media processing, cutting), espeak-ng (demo speech), fonts
#   all (for npm test, the default): the above, plus PostgreSQL 15 (throwaway test clusters)
#     and Chromium (browser tests)
# Run as root to install; otherwise it says what to install. For `runtime` a missing package is
# a warning (accounts and browsing still work), for `all` an error.
set -euo pipefail
mode="${1:-all}"

missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing+=(fonts-dejavu-core)
if [ "$mode" = "all" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql-15 postgresql-contrib)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v runuser >/dev/null 2>&1 || missing+=(util-linux)
fi

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  [ "$mode" = "runtime" ] && exit 0
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
