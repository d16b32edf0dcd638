#!/bin/sh
# Starts Orthanc in the server containers of docker-compose.yml and
# docker-compose.cluster.yml: the image's configuration
# (/etc/medical-image-server/, the same orthanc.json as make run), except that
# the plugin trusts the X-Forwarded-* headers of the private address ranges
# (MedicalImageServer.TrustedProxies): there the front reaches Orthanc over
# the compose network, from an address the compose tool picks in one of them,
# and Orthanc's HTTP port is published to no one else. The image alone keeps
# orthanc.json's loopback-only list.
set -eu
# Patient data and the users database: for Orthanc's user only (make run does
# the same, scripts/run-server.sh).
umask 077
ranges='"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"'
config="$(mktemp -d)"
cp /etc/medical-image-server/*.json "$config/"
sed -i "s|\"TrustedProxies\": *\[[^]]*\]|\"TrustedProxies\": [$ranges]|" "$config/orthanc.json"
# Without the line to replace, every browser would share the front's address
# (and its login limit) unnoticed: refuse to start instead.
grep -qF "\"TrustedProxies\": [$ranges]" "$config/orthanc.json" || {
  echo "start-orthanc: no \"TrustedProxies\": [...] line in orthanc.json to replace" >&2
  exit 1
}
exec /usr/sbin/Orthanc "$config"
