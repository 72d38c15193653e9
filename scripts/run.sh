#!/usr/bin/env bash
# Started by `make run` with DATABASE_URL (and maybe REDIS_URL) already exported.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-civil_affairs.settings.local}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/log var/broker/out var/broker/control

$PY manage.py migrate --no-input -v0
$PY manage.py seed_demo

# worker and beat beside the web server; stopped when this script ends
.venv/bin/celery -A civil_affairs worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
WORKER=$!
.venv/bin/celery -A civil_affairs beat --loglevel=INFO >var/log/beat.log 2>&1 &
BEAT=$!
trap 'kill $WORKER $BEAT 2>/dev/null || true' EXIT

echo
echo "  Civil affairs case portal: http://$HOST:$PORT/  (another port: make run PORT=8080)"
echo "  API docs:                  http://$HOST:$PORT/api/docs/"
echo "  Database: ${DATABASE_URL%%\?*}"
echo "  Broker:   ${REDIS_URL:-kombu filesystem transport under var/broker}"
echo "  Demo logins (password demo-2026):"
$PY manage.py shell -v0 -c '
from civil_affairs.core.demo import USERS
for username, name, role, area in USERS:
    print(f"    {username:<14} {role.value:<22} {area:<12}  {name}")'

echo "  Worker and beat logs: var/log/"
echo
# DEBUG is off unless DJANGO_DEBUG=1 (make dev): errors show the portal's own pages
exec $PY manage.py runserver "$HOST:$PORT"
