#!/usr/bin/env bash
# Starts Orthanc in the foreground with orthanc-config/orthanc.json, Debian's
# DICOMweb plugin and our plugin. What differs between instances (ports,
# storage) goes into a generated runtime.json beside a copy of the config, so
# that several servers can run side by side:
#   HTTP_PORT (8042), DICOM_PORT (4242), STATE_DIR (./state), PLUGIN (built .so),
#   ORTHANC_CONFIG (orthanc-config/orthanc.json: another file with the same
#   settings but, e.g., another MedicalImageServer section, as the benchmarks use)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
http_port="${HTTP_PORT:-8042}"
dicom_port="${DICOM_PORT:-4242}"
state_dir="$(mkdir -p "${STATE_DIR:-$root/state}" && cd "${STATE_DIR:-$root/state}" && pwd)"
# Absolute: Orthanc resolves plugin paths from the configuration's folder and
# starts without a plugin it cannot find, which would leave it unprotected.
plugin="$(realpath -m "${PLUGIN:-$root/build/libmedical-image-server.so}")"
config="${ORTHANC_CONFIG:-$root/orthanc-config/orthanc.json}"
plugins_dir="/usr/share/orthanc/plugins"
# DICOMweb is required; GDCM (JPEG 2000 decoding) is used when installed.
plugins="\"$plugins_dir/libOrthancDicomWeb.so\""
[ -f "$plugins_dir/libOrthancGdcm.so" ] && plugins="$plugins, \"$plugins_dir/libOrthancGdcm.so\""

[ -f "$plugin" ] || { echo "plugin not built: $plugin (run 'make build')" >&2; exit 1; }
[ -f "$config" ] || { echo "no configuration file: $config" >&2; exit 1; }

config_dir="$state_dir/config"
mkdir -p "$config_dir" "$state_dir/storage"
cp "$config" "$config_dir/orthanc.json"
cat > "$config_dir/runtime.json" <<JSON
{
  "HttpPort": $http_port,
  "DicomPort": $dicom_port,
  "StorageDirectory": "$state_dir/storage",
  "IndexDirectory": "$state_dir/storage",
  "Plugins": [$plugins, "$plugin"]
}
JSON

echo "Medical image server: http://127.0.0.1:$http_port/  (DICOM port $dicom_port, state in $state_dir)"
echo "Stop it with Ctrl-C."
cd "$root"  # the plugin resolves DataDirectory and FrontendDirectory from here
# DCMTK reads TCP_NODELAY: C-STORE is several times faster with it.
export TCP_NODELAY=1
exec /usr/sbin/Orthanc "$config_dir"
