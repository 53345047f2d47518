#!/usr/bin/env bash
# Production start (`make serve-production`), from anywhere:
#   1. manage.py migrate, createcachetable (the shared cache's table), collectstatic;
#   2. the task worker (`manage.py db_worker`: sends the outbox's e-mails) in the
#      background, unless RUN_WORKER=0 (when systemd or another server runs it:
#      site/deploy/townmarket-worker.service);
#   3. gunicorn -c gunicorn.conf.py in the foreground, under townmarket.settings.production.
# SIGTERM or Ctrl-C: gunicorn finishes the requests under way (graceful_timeout, 30 s)
# and the worker its task, then both stop.
# With several app servers, set MIGRATE=0 on all but one (or run the migrations once
# per deploy): the others only collect their static files and serve.
# Every setting comes from the environment (README, "Settings"); a wrong one stops the
# start here with a message naming it.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PY:-.venv/bin/python}"  # make passes its own
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-townmarket.settings.production}"

if [ "${MIGRATE:-1}" != 0 ]; then
  "$PY" manage.py migrate --no-input
  "$PY" manage.py createcachetable
fi
"$PY" manage.py collectstatic --no-input --verbosity 0
"$PY" manage.py requeue_outbox  # e-mails a stopped worker left « sending »

worker=""
if [ "${RUN_WORKER:-1}" != 0 ]; then
  "$PY" manage.py db_worker --interval 1 --verbosity 0 &
  worker=$!
fi
"$PY" -m gunicorn -c gunicorn.conf.py &
server=$!

stop() { kill -TERM "$server" $worker 2>/dev/null || true; }
trap stop INT TERM
wait "$server" || true
# A signal interrupts `wait`: wait again until gunicorn has finished its requests.
while kill -0 "$server" 2>/dev/null; do wait "$server" || true; done
status=0
wait "$server" || status=$?  # gunicorn's own exit status (0 after SIGTERM)
if [ -n "$worker" ]; then
  kill -TERM "$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
fi
exit "$status"
