#!/bin/sh
# The front container's start: renders the same nginx configuration as make
# run (orthanc-config/front/, scripts/render-front.sh) from the environment,
# then runs nginx in the foreground with Debian's main configuration, which
# includes it. The Dockerfile sets the defaults: MIS_UPSTREAMS (the server
# container, or the cluster's nodes), MIS_HTTP_LISTEN (80), MIS_HTTPS_LISTEN
# (443), and the paths. TLS: MIS_TLS_CERT and MIS_TLS_KEY name a mounted
# certificate and key; without them a self-signed certificate is made at the
# first start in MIS_TLS_DIR, a volume, and kept.
set -eu
render-front.sh /etc/nginx/medical-image-server
exec nginx -g 'daemon off;'
