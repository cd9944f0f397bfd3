#!/usr/bin/env bash
# The production topology on one machine: two app instances (JOBS=off, distinct loopback ports)
# and one `npm run worker` on a fresh MariaDB database + Redis, behind Debian's nginx with a
# config generated into a temp dir. Then runs the checks through nginx and tears everything down
# by PID (process group) on exit, dropping the database.
#
#   bash .ci/topology.sh            # from the repository root, after npm ci
#
# Environment (all optional): TOPO_MYSQL_URL (server, no database; default
# mysql://root@127.0.0.1:3306), TOPO_REDIS_URL (default redis://127.0.0.1:6379), NGINX_BIN
# (default /usr/sbin/nginx), TOPO_KEEP=1 keeps the temp dir and the database for inspection,
# TOPO_BUYERS (default 100) buyers in the purchase race.
# Logs are copied to test-results/ci/topology/. The closing line is "N passed, N failed".
#
# The checks (.ci/topology/checks.ts) run through nginx: the healthz round robin, the
# concurrent-purchase race (exactly one sale), a reservation fan-out whose live event reaches a fan
# streaming from the other instance, a rolling restart of A then B under a GET loop (no failed
# request; the stream on A ends cleanly) and a Last-Event-ID resume. The instances keep
# RATE_LIMIT=on as in production: each simulated user sends its own X-Forwarded-For, which the
# instances trust from nginx (TRUST_PROXY=127.0.0.1), so ~100 registrations from this one machine
# count as ~100 clients. SHUTDOWN_GRACE_MS is short here (nginx retries a 503 or a refused
# connection on the other instance at once); production keeps the 5 s default for load balancers
# that poll /readyz.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
NODE="$ROOT/node_modules/.bin/node" # Node 24 from the project; the machine's node is older
export PATH="$ROOT/node_modules/.bin:$PATH"
MYSQL_URL=${TOPO_MYSQL_URL:-mysql://root@127.0.0.1:3306}
REDIS_URL=${TOPO_REDIS_URL:-redis://127.0.0.1:6379}
NGINX_BIN=${NGINX_BIN:-/usr/sbin/nginx}
LOGS="$ROOT/test-results/ci/topology"

log() { printf '[topology %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() {
  log "ERROR: $*"
  exit 1
}

# ---- preconditions -----------------------------------------------------------------------------
[ -x "$NODE" ] || die "node_modules/.bin/node missing: run npm ci first"
[ -x "$NGINX_BIN" ] || die "nginx not found at $NGINX_BIN (apt-get install nginx)"
command -v mariadb >/dev/null || die "mariadb client missing"
command -v curl >/dev/null || die "curl missing"
for f in server/src/main.ts server/src/worker.ts server/src/cli/migrate.ts; do
  [ -f "$f" ] || die "$f does not exist yet"
done

# mysql://user[:pass]@host:port → client arguments
mysql_args() {
  "$NODE" -e '
    const u = new URL(process.argv[1]);
    const a = [`--host=${u.hostname}`, `--port=${u.port || 3306}`, `--user=${decodeURIComponent(u.username) || "root"}`];
    if (u.password) a.push(`--password=${decodeURIComponent(u.password)}`);
    console.log(a.join("\n"));
  ' "$MYSQL_URL"
}
mapfile -t MYSQL_ARGS < <(mysql_args)
sql() { mariadb "${MYSQL_ARGS[@]}" --batch --skip-column-names -e "$1"; }
redis_clear() { # deletes this run's keys (cache entries, rate-limit counters)
  command -v redis-cli >/dev/null || return 0
  local u
  u=$("$NODE" -e 'const u = new URL(process.argv[1]); console.log(u.hostname, u.port || 6379)' "$REDIS_URL")
  read -r host port <<<"$u"
  redis-cli -h "$host" -p "$port" --scan --pattern "${REDIS_PREFIX}*" |
    xargs -r -d '\n' -n 100 redis-cli -h "$host" -p "$port" del >/dev/null
}

free_port() {
  "$NODE" -e '
    const s = require("node:net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
  '
}

# ---- state and teardown ------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/pas-topology.XXXXXX)
chmod 755 "$WORK" # nginx workers (user nobody when run as root) must reach their temp paths
DB_NAME="pas_topo_$$_$(date +%s)"
REDIS_PREFIX="pas:topo:$$:"
DB_CREATED=no
declare -A PIDS=() # name → PID of a process group leader started with setsid

stop_process() { # stop_process <name>: SIGTERM its process group, wait up to 15 s, then SIGKILL
  local name=$1 pid=${PIDS[$1]:-} i
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) ignored SIGTERM for 15 s; killing it"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  unset "PIDS[$name]"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  for name in nginx "${!PIDS[@]}"; do stop_process "$name"; done
  mkdir -p "$LOGS"
  cp "$WORK"/*.log "$LOGS"/ 2>/dev/null
  cp "$WORK"/nginx/*.log "$WORK"/nginx/nginx.conf "$LOGS"/ 2>/dev/null
  if [ "$rc" != 0 ]; then
    for f in "$WORK"/*.log "$WORK"/nginx/error.log; do
      [ -s "$f" ] || continue
      log "---- last lines of $(basename "$f") ----"
      tail -n 25 "$f"
    done
  fi
  if [ "${TOPO_KEEP:-0}" = 1 ]; then
    log "TOPO_KEEP=1: keeping $WORK, database $DB_NAME and Redis keys $REDIS_PREFIX*"
  else
    [ "$DB_CREATED" = no ] || sql "drop database if exists \`$DB_NAME\`" || log "could not drop $DB_NAME"
    redis_clear || log "could not delete Redis keys $REDIS_PREFIX*"
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_process() { # start_process <name> <env assignments...> -- <command...>
  local name=$1
  shift
  local envs=()
  while [ "$1" != -- ]; do
    envs+=("$1")
    shift
  done
  shift
  setsid env "${envs[@]}" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS[$name]=$!
  log "started $name (pid ${PIDS[$name]}): $*"
}

wait_http_ok() { # wait_http_ok <name> <url> <seconds>
  local name=$1 url=$2 seconds=$3 i
  for ((i = 0; i < seconds * 5; i++)); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
      log "$name is ready ($url)"
      return 0
    fi
    if [ -n "${PIDS[$name]:-}" ] && ! kill -0 "${PIDS[$name]}" 2>/dev/null; then
      log "$name exited before it was ready (see $name.log)"
      return 1
    fi
    sleep 0.2
  done
  log "$name not ready after ${seconds}s ($url)"
  return 1
}

# ---- database, configuration -------------------------------------------------------------------
sql "create database \`$DB_NAME\` character set utf8mb4 collate utf8mb4_bin"
DB_CREATED=yes
log "created database $DB_NAME"

PORT_A=$(free_port)
PORT_B=$(free_port)
while [ "$PORT_B" = "$PORT_A" ]; do PORT_B=$(free_port); done
PORT_NGINX=$(free_port)
BASE="http://127.0.0.1:$PORT_NGINX"

# What every process shares (docs/PRODUCT.md §4). One JWT secret: a token from one instance must
# verify on the other.
COMMON_ENV=(
  NODE_ENV=production
  HOST=127.0.0.1
  "DATABASE_URL=$MYSQL_URL/$DB_NAME"
  "REDIS_URL=$REDIS_URL"
  "REDIS_PREFIX=$REDIS_PREFIX"
  "JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
  "DATA_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)"
  "PUBLIC_URL=$BASE"
  DEMO_DATA=false
  MIGRATE_ON_START=false
  TRUST_PROXY=127.0.0.1
  LOG_LEVEL=info
  RATE_LIMIT=on
  SHUTDOWN_GRACE_MS=1000
)

log "migrating (npm run db:migrate)"
env "${COMMON_ENV[@]}" "DATA_DIR=$WORK/migrate" npm run --silent db:migrate \
  >"$WORK/migrate.log" 2>&1 || die "migration failed (see migrate.log)"

# Three upcoming games (10-12 days ahead, Taipei evening), imported the way operators do.
{
  echo "date,start_time,home_team_code,away_team_code,game_no,cpbl_field_abbe,status"
  for i in 1 2 3; do
    day=$(TZ=Asia/Taipei date -d "+$((9 + i)) days" +%F)
    case $i in
      1) teams="ACN011,AJL011,洲際" ;;
      2) teams="AJL011,AAA011,樂天桃園" ;;
      3) teams="AEO011,ADD011,新莊" ;;
    esac
    IFS=, read -r home away field <<<"$teams"
    echo "$day,18:35,$home,$away,$((900 + i)),$field,scheduled"
  done
} >"$WORK/games.csv"
log "importing games (npm run schedule:import)"
env "${COMMON_ENV[@]}" "DATA_DIR=$WORK/migrate" npm run --silent schedule:import -- \
  --csv "$WORK/games.csv" >"$WORK/import.log" 2>&1 || die "schedule import failed (see import.log)"
grep -q '^inserted: 3$' "$WORK/import.log" || die "expected 3 games inserted (see import.log)"

start_instance() { # start_instance <a|b>
  local which=$1 port
  [ "$which" = a ] && port=$PORT_A || port=$PORT_B
  start_process "app-$which" "${COMMON_ENV[@]}" "PORT=$port" "DATA_DIR=$WORK/data-$which" \
    JOBS=off -- "$NODE" server/src/main.ts
  wait_http_ok "app-$which" "http://127.0.0.1:$port/readyz" 60
}
stop_instance() { # SIGTERM; the instance must drain and exit 0 by itself
  local name=app-$1 pid=${PIDS[app-$1]:-} rc=0
  [ -n "$pid" ] || return 1
  kill -TERM -- "-$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not exit within 15 s of SIGTERM; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "PIDS[$name]"
    return 1
  fi
  wait "$pid" || rc=$?
  unset "PIDS[$name]"
  log "$name exited with status $rc after SIGTERM"
  mv "$WORK/$name.log" "$WORK/$name.$(date +%s%N).log"
  [ "$rc" = 0 ]
}
restart_instance() { # restart_instance <a|b>: graceful stop, start, ready (in a subshell: no die)
  stop_instance "$1" || return 1
  start_instance "$1"
}

start_instance a || die "app-a did not start"
start_instance b || die "app-b did not start"
start_process worker "${COMMON_ENV[@]}" "DATA_DIR=$WORK/data-worker" -- npm run worker
sleep 1
kill -0 "${PIDS[worker]}" 2>/dev/null || die "the worker exited at start (see worker.log)"

# ---- nginx ------------------------------------------------------------------------------------
# The proxying rules of deploy/nginx.conf without TLS, plus X-Upstream so checks can see which
# instance answered.
mkdir -p "$WORK/nginx"
nginx_user=""
[ "$(id -u)" = 0 ] && nginx_user="user nobody nogroup;"
cat >"$WORK/nginx/nginx.conf" <<EOF
$nginx_user
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $WORK/nginx/access.log;
  client_body_temp_path $WORK/nginx/client_body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;

  map \$http_x_request_id \$req_id {
    default \$http_x_request_id;
    ""      \$request_id;
  }

  upstream app {
    zone app 64k;
    server 127.0.0.1:$PORT_A max_fails=1 fail_timeout=2s;
    server 127.0.0.1:$PORT_B max_fails=1 fail_timeout=2s;
    keepalive 16;
  }

  server {
    listen 127.0.0.1:$PORT_NGINX;
    client_max_body_size 45m;

    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$http_host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_set_header X-Request-Id \$req_id;
    add_header X-Upstream \$upstream_addr always;
    # A refused connection, a reset or a draining instance's 503 is retried on the other one
    # (idempotent requests only, nginx's default), as in deploy/nginx.conf.
    proxy_next_upstream error timeout http_502 http_503;
    proxy_next_upstream_tries 2;
    proxy_connect_timeout 2s;

    location / {
      proxy_pass http://app;
    }
    location /api/notifications/stream {
      proxy_pass http://app;
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
    }
  }
}
EOF
"$NGINX_BIN" -t -q -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" ||
  die "generated nginx.conf is invalid"
start_process nginx -- "$NGINX_BIN" -e "$WORK/nginx/error.log" -p "$WORK/nginx" \
  -c "$WORK/nginx/nginx.conf"
wait_http_ok nginx "$BASE/healthz" 15 || die "nginx did not start"

# ---- checks -------------------------------------------------------------------------------------
# .ci/topology/checks.ts runs every check and prints "N passed, N failed". It asks this shell (which
# owns the processes) to restart an instance by writing $WORK/ctl/request; the answer goes to
# $WORK/ctl/reply.
mkdir -p "$WORK/ctl"
log "running .ci/topology/checks.ts"
setsid "$NODE" .ci/topology/checks.ts --base "$BASE" --a "http://127.0.0.1:$PORT_A" \
  --b "http://127.0.0.1:$PORT_B" --work "$WORK" --buyers "${TOPO_BUYERS:-100}" &
PIDS[checks]=$!
CHECKS_DEADLINE=$((SECONDS + 240))
while kill -0 "${PIDS[checks]}" 2>/dev/null; do
  if [ -f "$WORK/ctl/request" ]; then
    read -r verb which <"$WORK/ctl/request"
    rm -f "$WORK/ctl/request"
    reply="failed: unknown request $verb $which"
    if [ "$verb" = restart ] && { [ "$which" = a ] || [ "$which" = b ]; }; then
      log "restarting app-$which (SIGTERM, drain, start)"
      if restart_instance "$which"; then reply=ok; else reply="failed: see app-$which logs"; fi
    fi
    printf '%s\n' "$reply" >"$WORK/ctl/reply.tmp"
    mv "$WORK/ctl/reply.tmp" "$WORK/ctl/reply"
  fi
  if ((SECONDS > CHECKS_DEADLINE)); then
    log "checks still running after 240 s; stopping them"
    kill -TERM "${PIDS[checks]}" 2>/dev/null || true
    break
  fi
  sleep 0.1
done
rc=0
wait "${PIDS[checks]}" || rc=$?
unset "PIDS[checks]"
for name in app-a app-b worker; do
  kill -0 "${PIDS[$name]:-0}" 2>/dev/null || { log "$name is no longer running"; rc=1; }
done
exit "$rc"
