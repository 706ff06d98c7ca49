#!/usr/bin/env bash
# Installs the Debian packages partnerpolicy needs, only those that are missing. Extra package
# names given as arguments are installed too (scripts/fuzz.sh adds clang and libFuzzer).
set -euo pipefail
packages=(build-essential cmake pkg-config liblua5.4-dev libtomlplusplus-dev nlohmann-json3-dev
          libfmt-dev libcli11-dev libgtest-dev libbenchmark-dev libvalijson-dev libssl-dev help2man
          ccache python3 python3-jsonschema "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
