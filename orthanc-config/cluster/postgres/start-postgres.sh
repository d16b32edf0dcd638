#!/bin/sh
# Starts PostgreSQL in the foreground. On the first start (an empty PGDATA) it
# makes the cluster: POSTGRES_USER (default orthanc) as its owner with
# POSTGRES_PASSWORD, and the database POSTGRES_DB (default: the user's name).
# Over the network only password logins are accepted (scram-sha-256); inside
# the container, the local socket trusts its own user.
set -eu

: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
user="${POSTGRES_USER:-orthanc}"
database="${POSTGRES_DB:-$user}"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  # The password goes through a file readable by this user only, never argv.
  password_file="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" > "$password_file"
  "$bin/initdb" -D "$PGDATA" -U "$user" --pwfile="$password_file" -E UTF8 \
    --auth-local=trust --auth-host=scram-sha-256
  rm -f "$password_file"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  # The database, made on a server that listens on its socket only.
  "$bin/pg_ctl" -D "$PGDATA" -w -o "-c listen_addresses=''" start
  if [ "$database" != postgres ]; then
    "$bin/createdb" -U "$user" "$database"
  fi
  "$bin/pg_ctl" -D "$PGDATA" -w stop
fi

exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*'
