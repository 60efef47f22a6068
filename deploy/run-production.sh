#!/usr/bin/env bash
# `make run-production`: the production profile on one machine. HAProxy (Debian's package)
# on the public port in front of two desks, and on loopback in front of two Rasa servers
# (sticky by conversation) and two action servers; PostgreSQL for tickets and Rasa's
# tracker, Redis for Rasa's lock store. README "Production profile" explains the choices.
#
# Settings come from the environment, then .env, then the defaults below. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${APP_ENV:?run this through make run-production}" "${RASA_ENV:?run this through make run-production}"
PY=$APP_ENV/bin/python

if ! command -v haproxy >/dev/null 2>&1; then
  echo "HAProxy is missing: sudo apt-get install haproxy (Debian's package)" >&2
  exit 1
fi

# Random secrets into .env once, as `make run` does. .env fills only what the environment
# leaves unset (the environment wins, as in the desk's own settings).
$PY -m servicedesk init-secrets --env-file .env
while IFS= read -r line || [ -n "$line" ]; do
  [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=[[:space:]]*(.*)$ ]] || continue
  name=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
  value=${value%\"} value=${value#\"} value=${value%\'} value=${value#\'}
  [ -n "${!name+set}" ] || export "$name=$value"
done < .env

# Production checks on: every process refuses a missing, default or short secret.
export SERVICEDESK_ENVIRONMENT=production

export SERVICEDESK_DATABASE_URL=${SERVICEDESK_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/envagin}
export RASA_TRACKER_DB_HOST=${RASA_TRACKER_DB_HOST:-127.0.0.1} RASA_TRACKER_DB_PORT=${RASA_TRACKER_DB_PORT:-5432}
export RASA_TRACKER_DB_NAME=${RASA_TRACKER_DB_NAME:-envagin_tracker}
export RASA_TRACKER_DB_USER=${RASA_TRACKER_DB_USER:-postgres} RASA_TRACKER_DB_PASSWORD=${RASA_TRACKER_DB_PASSWORD:-}
export REDIS_HOST=${REDIS_HOST:-127.0.0.1} REDIS_PORT=${REDIS_PORT:-6379} REDIS_DB=${REDIS_DB:-0}
tracker_auth=$RASA_TRACKER_DB_USER${RASA_TRACKER_DB_PASSWORD:+:$RASA_TRACKER_DB_PASSWORD}
export SERVICEDESK_TRACKER_STORE_URL=${SERVICEDESK_TRACKER_STORE_URL:-postgresql+psycopg://$tracker_auth@$RASA_TRACKER_DB_HOST:$RASA_TRACKER_DB_PORT/$RASA_TRACKER_DB_NAME}
export SERVICEDESK_LOCK_STORE_URL=${SERVICEDESK_LOCK_STORE_URL:-redis://$REDIS_HOST:$REDIS_PORT/$REDIS_DB}

# Ports: the balancer's three frontends, then each replica (all on loopback but the first;
# set ENVAGIN_PUBLIC_BIND=0.0.0.0:8000, or :443 with TLS in deploy/haproxy.cfg, to publish).
export ENVAGIN_PUBLIC_BIND=${ENVAGIN_PUBLIC_BIND:-127.0.0.1:8000}
export ENVAGIN_RASA_BIND=${ENVAGIN_RASA_BIND:-127.0.0.1:5005}
export ENVAGIN_ACTIONS_BIND=${ENVAGIN_ACTIONS_BIND:-127.0.0.1:5055}
export ENVAGIN_STATS_BIND=${ENVAGIN_STATS_BIND:-127.0.0.1:8404}
export ENVAGIN_DESK1_PORT=${ENVAGIN_DESK1_PORT:-8001} ENVAGIN_DESK2_PORT=${ENVAGIN_DESK2_PORT:-8002}
export ENVAGIN_RASA1_PORT=${ENVAGIN_RASA1_PORT:-5006} ENVAGIN_RASA2_PORT=${ENVAGIN_RASA2_PORT:-5007}
export ENVAGIN_ACTIONS1_PORT=${ENVAGIN_ACTIONS1_PORT:-5056} ENVAGIN_ACTIONS2_PORT=${ENVAGIN_ACTIONS2_PORT:-5057}
for n in 1 2; do
  for kind in DESK RASA ACTIONS; do
    port_var=ENVAGIN_${kind}${n}_PORT
    export "ENVAGIN_${kind}${n}=127.0.0.1:${!port_var}"
  done
done
export ENVAGIN_MODEL=${ENVAGIN_MODEL:-models/current.tar.gz}
# Everything reaches Rasa and the action servers through the balancer.
export SERVICEDESK_RASA_URL=http://$ENVAGIN_RASA_BIND
export SERVICEDESK_ACTION_SERVER_URL=http://$ENVAGIN_ACTIONS_BIND
export ACTION_ENDPOINT_URL=http://$ENVAGIN_ACTIONS_BIND/webhook

$PY -m deploy.prepare
make --no-print-directory catalogue train
$PY -m servicedesk ensure-admin --base-url "http://$ENVAGIN_PUBLIC_BIND"
haproxy -c -q -f deploy/haproxy.cfg
echo "Production profile: http://$ENVAGIN_PUBLIC_BIND/ (balancer status: http://$ENVAGIN_STATS_BIND/)"
exec "$PY" -m deploy.supervise Procfile.production --log-dir var/log
