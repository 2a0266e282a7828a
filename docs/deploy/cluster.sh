#!/usr/bin/env bash
# OneScreen 城运一屏 — a three-node cluster on one machine, behind HAProxy (docs/deploy/README.md).
#
#   docs/deploy/cluster.sh start     # database if missing, nodes on :8081–8083, HAProxy on :8080
#   docs/deploy/cluster.sh status    # which processes run, each node's /healthz
#   docs/deploy/cluster.sh stop      # HAProxy, then the nodes
#   docs/deploy/cluster.sh restart
#
# Re-runnable: `start` starts only what is not already running (pid files), `stop` stops only what
# it started. Needs PostgreSQL and Redis running already, `npm ci` done, and node, haproxy, psql,
# pg_isready and curl on the PATH (Debian: postgresql-client, haproxy, curl; redis-cli, if there,
# checks Redis first).
#
# Settings (environment; the defaults suit one machine):
#   DATABASE_URL   postgres://postgres@127.0.0.1:5432/onescreen — created if missing, schema
#                  migrated by the nodes at start-up
#   PG_ADMIN_URL   where to check for and create that database: by default DATABASE_URL with the
#                  database `postgres` instead (the role needs CREATEDB)
#   REDIS_URL      redis://127.0.0.1:6379
#   RUN_DIR        data/cluster (in the repository; data/ is ignored by git) — logs in
#                  RUN_DIR/log, pid files in RUN_DIR/pid
#   INGEST_KEYS, VIEWER_TOKENS, OFFICER_TOKENS, NODE_ENV — passed to every node unchanged, so all
#                  nodes accept the same keys and tokens. None set and NODE_ENV not production:
#                  every node uses the built-in demo credentials (the same on each).
#   SIM, SIM_SPEED, SIM_SEED, SIM_SCALE, BATCH_MS, HEARTBEAT_MS, … — likewise passed through
#                  (SIM defaults to on: only one node of the cluster runs the simulator at a time).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

PORTS=(8081 8082 8083)          # must match the servers in haproxy.cfg
FRONT_PORT=8080                 # HAProxy's `bind` in haproxy.cfg
HAPROXY_CFG=${HAPROXY_CFG:-$ROOT/docs/deploy/haproxy.cfg}
RUN_DIR=${RUN_DIR:-$ROOT/data/cluster}
LOG_DIR=$RUN_DIR/log
PID_DIR=$RUN_DIR/pid
START_TIMEOUT=${START_TIMEOUT:-60}   # seconds a node may take to answer /healthz

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/onescreen}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export STORE=postgres
export SIM=${SIM:-on}

say() { printf '== %s\n' "$*"; }
die() { printf 'cluster.sh: %s\n' "$*" >&2; exit 1; }

need() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found on the PATH"
  done
}

# The pid in a pid file, if that process still runs and is the one we started (pids get reused).
running_pid() {
  local file=$1 pattern=$2 pid
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  ps -p "$pid" -o args= 2>/dev/null | grep -q -- "$pattern" || return 1
  printf '%s\n' "$pid"
}

# Start a command detached (own session: no terminal signals reach it), appending to a log file.
spawn() {
  local pidfile=$1 logfile=$2
  shift 2
  setsid "$@" </dev/null >>"$logfile" 2>&1 &
  printf '%s\n' "$!" >"$pidfile"
}

stop_pid() {
  local name=$1 file=$2 pattern=$3 pid i
  if ! pid=$(running_pid "$file" "$pattern"); then
    rm -f "$file"
    return 0
  fi
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do   # 15 s for a graceful shutdown
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name did not stop within 15 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

# DATABASE_URL without its database name, pointing at the maintenance database `postgres`.
# (postgres://user@host:port/name?params → postgres://user@host:port/postgres?params)
db_name() { local base=${DATABASE_URL%%\?*}; printf '%s\n' "${base##*/}"; }
admin_url() {
  local base=${DATABASE_URL%%\?*}
  printf '%s/postgres%s\n' "${base%/*}" "${DATABASE_URL#"$base"}"
}

ensure_database() {
  local name admin exists
  name=$(db_name)
  admin=${PG_ADMIN_URL:-$(admin_url)}
  [[ -n $name ]] || die "DATABASE_URL names no database: $DATABASE_URL"
  pg_isready -d "$admin" -q -t 10 || die "PostgreSQL does not answer at $admin"
  exists=$(psql "$admin" -X -q -t -A -v ON_ERROR_STOP=1 -v db="$name" <<'SQL'
SELECT 1 FROM pg_database WHERE datname = :'db';
SQL
)
  if [[ $exists == 1 ]]; then
    say "database $name exists"
  else
    say "creating database $name"
    psql "$admin" -X -q -v ON_ERROR_STOP=1 -v db="$name" <<'SQL'
CREATE DATABASE :"db";
SQL
  fi
}

check_redis() {
  # A node refuses to start when Redis does not answer at start-up (a wrong REDIS_URL is an error,
  # not a silent single node); once running, it rides out Redis outages (README: Redis down).
  if command -v redis-cli >/dev/null 2>&1; then
    [[ $(redis-cli -u "$REDIS_URL" ping 2>/dev/null) == PONG ]] || die "Redis does not answer at $REDIS_URL"
    say "Redis answers at $REDIS_URL"
  fi
}

port_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

wait_healthy() {
  local n=$1 port=$2 pid=$3 i
  for ((i = 0; i < START_TIMEOUT * 2; i++)); do
    if curl -fsS -m 2 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
      say "node $n healthy on :$port"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$LOG_DIR/node$n.log" >&2 || true
      die "node $n exited; its log: $LOG_DIR/node$n.log"
    fi
    sleep 0.5
  done
  die "node $n did not answer http://127.0.0.1:$port/healthz within ${START_TIMEOUT}s; its log: $LOG_DIR/node$n.log"
}

start() {
  need node haproxy psql pg_isready curl ss setsid
  [[ -d node_modules ]] || die "run npm ci first (in $ROOT)"
  mkdir -p "$LOG_DIR" "$PID_DIR"
  haproxy -c -q -f "$HAPROXY_CFG" || die "$HAPROXY_CFG does not pass haproxy -c"

  ensure_database
  check_redis

  if [[ ! -f dist/client/index.html ]]; then
    say "building the screen (npm run build)"
    npm run build >"$LOG_DIR/build.log" 2>&1 || die "npm run build failed: $LOG_DIR/build.log"
  fi

  local i n port pid started=()
  for i in "${!PORTS[@]}"; do
    n=$((i + 1))
    port=${PORTS[$i]}
    if pid=$(running_pid "$PID_DIR/node$n.pid" server/src/main.ts); then
      say "node $n already running (pid $pid, :$port)"
      continue
    fi
    port_busy "$port" && die "port $port is taken by another process (ss -ltnp 'sport = :$port')"
    printf '\n---- %s start (port %s)\n' "$(date -Is)" "$port" >>"$LOG_DIR/node$n.log"
    # Loopback only: the nodes are reached through HAProxy.
    PORT=$port HOST=127.0.0.1 spawn "$PID_DIR/node$n.pid" "$LOG_DIR/node$n.log" node --import tsx server/src/main.ts
    say "node $n starting (pid $(<"$PID_DIR/node$n.pid"), :$port, log $LOG_DIR/node$n.log)"
    started+=("$n:$port")
  done
  local entry
  for entry in "${started[@]}"; do
    n=${entry%%:*}
    port=${entry#*:}
    wait_healthy "$n" "$port" "$(<"$PID_DIR/node$n.pid")"
  done

  if pid=$(running_pid "$PID_DIR/haproxy.pid" haproxy); then
    say "haproxy already running (pid $pid)"
  else
    port_busy "$FRONT_PORT" && die "port $FRONT_PORT is taken by another process (a single server from npm start?)"
    printf '\n---- %s start\n' "$(date -Is)" >>"$LOG_DIR/haproxy.log"
    # -db: stay in the foreground (setsid detaches it), so its log (`log stdout`) goes to the file.
    spawn "$PID_DIR/haproxy.pid" "$LOG_DIR/haproxy.log" haproxy -db -f "$HAPROXY_CFG"
    sleep 1
    running_pid "$PID_DIR/haproxy.pid" haproxy >/dev/null || die "haproxy exited; its log: $LOG_DIR/haproxy.log"
    say "haproxy running (pid $(<"$PID_DIR/haproxy.pid"))"
  fi
  say "cluster up: http://127.0.0.1:$FRONT_PORT/  (HAProxy stats: http://127.0.0.1:8404/, logs: $LOG_DIR)"
}

stop() {
  local n
  stop_pid haproxy "$PID_DIR/haproxy.pid" haproxy
  for ((n = ${#PORTS[@]}; n >= 1; n--)); do
    stop_pid "node $n" "$PID_DIR/node$n.pid" server/src/main.ts
  done
  say "stopped"
}

status() {
  local i n port pid health
  for i in "${!PORTS[@]}"; do
    n=$((i + 1))
    port=${PORTS[$i]}
    if pid=$(running_pid "$PID_DIR/node$n.pid" server/src/main.ts); then
      health=$(curl -sS -m 2 -w ' (HTTP %{http_code})' "http://127.0.0.1:$port/healthz" 2>&1) || true
      printf 'node %s  pid %-7s :%s  %s\n' "$n" "$pid" "$port" "$health"
    else
      printf 'node %s  not running\n' "$n"
    fi
  done
  if pid=$(running_pid "$PID_DIR/haproxy.pid" haproxy); then
    printf 'haproxy pid %-7s :%s\n' "$pid" "$FRONT_PORT"
  else
    printf 'haproxy not running\n'
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  *) printf 'usage: %s start|stop|restart|status\n' "$0" >&2; exit 2 ;;
esac
