#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are missing.
# Quick and silent when everything is present, so every make target can call it.
set -euo pipefail

missing=()
for package in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq

# Debian's orthanc and nginx packages start and enable their own services: a
# second, unauthenticated Orthanc on 8042 and 4242 (C-STORE open to any AE),
# which would also keep `make run` from its ports, and nginx's default site on
# port 80, which nothing of ours uses. When we are the ones installing them, keep those services from
# starting (policy-rc.d, for the length of this install) and disable them; our
# server and its front are started by make run or Docker.
services=()
for package in "${missing[@]}"; do
  case "$package" in orthanc | nginx) services+=("$package.service") ;; esac
done
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ${#services[@]} -gt 0 ] && [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# Written by install-deps.sh during one apt-get install.\nexit 101\n' |
    $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  own_policy=1
fi
remove_policy() { [ "$own_policy" -eq 0 ] || $sudo rm -f "$policy"; }
trap remove_policy EXIT

$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

if [ ${#services[@]} -gt 0 ] && [ -d /run/systemd/system ]; then
  $sudo systemctl disable --now "${services[@]}" >/dev/null 2>&1 || true
  echo "Disabled Debian's own ${services[*]}: make run starts the medical image server" \
    "and its front."
fi
