#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the suite on PostgreSQL:
#   tests/pg_cluster.sh start FOLDER   prints the URL of an empty database
#   tests/pg_cluster.sh stop FOLDER
# The cluster lives in FOLDER (made by initdb) on a free port, trusts local
# connections only, and is gone once stopped and the folder removed.
set -euo pipefail

what=${1:?start or stop}
folder=${2:?a folder for the cluster}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "pg_cluster: PostgreSQL's server is not installed" >&2; exit 1; }

# initdb refuses root: the cluster then belongs to the postgres account.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$what" in
start)
    mkdir -p "$folder"
    [ "$(id -u)" -eq 0 ] && chown postgres "$folder"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$folder/data" -U keywork --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_owner "$bin/pg_ctl" -D "$folder/data" -l "$folder/log" -w start \
        -o "-h 127.0.0.1 -p $port -k $folder -c fsync=off -c max_connections=200" >/dev/null
    echo "postgresql://keywork@127.0.0.1:$port/postgres"
    ;;
stop)
    as_owner "$bin/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null
    ;;
*)
    echo "pg_cluster: start or stop" >&2
    exit 2
    ;;
esac
