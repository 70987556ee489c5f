#!/usr/bin/env bash
# Installs the Debian packages `make` needs, only when they are missing, so a fresh Debian 12
# machine needs nothing set up by hand. Usage: install-system-deps.sh python|browser
set -euo pipefail

need=()
case "${1:-}" in
  python)
    python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv python3-pip)
    ;;
  browser)
    command -v chromium >/dev/null 2>&1 || need+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
    # tests/test_docker_compose.py validates docker-compose.yml with Compose itself
    { command -v docker-compose || docker compose version; } >/dev/null 2>&1 || need+=(docker-compose)
    ;;
  *) echo "usage: $0 python|browser" >&2; exit 2 ;;
esac
[ ${#need[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: need Debian packages ${need[*]} and neither root nor sudo is available." >&2
    echo "       install them (apt-get install ${need[*]}) and run make again." >&2
    exit 1
  fi
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
