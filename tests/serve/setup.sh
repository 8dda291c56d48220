#!/usr/bin/env bash
# setup.sh - install what the browser test (browser_test.py) needs: Debian's
# chromium, chromium-driver and python3-selenium (for /usr/bin/python3).
#
# Exit 0: everything is there. Exit 77 (ctest's "skipped"): something is
# missing and this is not root, so nothing can be installed; the message says
# what to install. Exit 1: running as root, but apt-get failed.
set -u

PACKAGES=(chromium chromium-driver python3-selenium)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "skip: the browser test needs ${missing[*]} (Debian packages);" \
         "install them with: sudo apt-get install -y ${missing[*]}"
    exit 77
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -q >/dev/null 2>&1
    if ! apt-get install -y -q "${missing[@]}"; then
        echo "setup: apt-get could not install ${missing[*]}" >&2
        exit 1
    fi
fi
exit 0
