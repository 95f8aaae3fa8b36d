#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 on a free loopback port, then stops it
# and deletes its data, also when the command fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/ensure-debian-packages.sh" postgresql-15
bin=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/kechuang-pg.XXXXXX)
chmod 755 "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_postgres=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres:postgres "$work"
  as_postgres=(runuser -u postgres --)
fi
stop() {
  "${as_postgres[@]}" "$bin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT
"${as_postgres[@]}" "$bin/initdb" -D "$work/data" -U postgres --auth=trust --locale=C.UTF-8 -E UTF8 >/dev/null
"${as_postgres[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
echo "PostgreSQL 15 on 127.0.0.1:$port"
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
