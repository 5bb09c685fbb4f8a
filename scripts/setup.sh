#!/usr/bin/env bash
# Installs what Sluice needs on a fresh Debian machine: Debian packages, Node 24 and the npm
# dependencies (npm ci), and the Go-built tools (cached under ~/.cache/sluice, built once).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(git openssl openssh-server openssh-client gnupg age ca-certificates time zsh fish)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v go >/dev/null || { echo "setup: Go is required (1.26+) to build the local control plane" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: npm is required" >&2; exit 1; }

# npm ci again only when the lock file changed since the last install.
stamp=node_modules/.sluice-lock-stamp
if [ ! -x node_modules/.bin/node ] || ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  echo "setup: npm ci (installs Node 24 into node_modules)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
node_modules/.bin/node --version | grep -q '^v24\.' || { echo "setup: node_modules/.bin/node is not Node 24" >&2; exit 1; }

# The control plane, kwok, kustomize and helm, built from Go modules once and cached.
bin/sluice dev build
