#!/usr/bin/env bash
# manage.py under production settings, with the settings of /etc/townmarket.env (or
# $TOWNMARKET_ENV): for cron (site/deploy/crontab) and one-off commands.
#   site/deploy/manage_production.sh check --deploy
set -euo pipefail
cd "$(dirname "$0")/../.."
env_file="${TOWNMARKET_ENV:-/etc/townmarket.env}"
if [ -f "$env_file" ]; then set -a; . "$env_file"; set +a; fi
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-townmarket.settings.production}"
exec "${PY:-.venv/bin/python}" manage.py "$@"
