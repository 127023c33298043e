#!/bin/sh
# The web container: migrate (one at a time: others wait on the database lock), copy the
# static files to the volume nginx serves, then uvicorn (ASGI) with the upload size guard.
set -e
if [ -n "$PROMETHEUS_MULTIPROC_DIR" ]; then
    # Metrics of the previous run's processes would be counted again.
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR" && rm -f "$PROMETHEUS_MULTIPROC_DIR"/*.db
fi
python manage.py migrate --noinput
python manage.py collectstatic --noinput --verbosity 0
exec python -m uvicorn assistant.asgi:application --host "${HOST:-0.0.0.0}" \
    --port "${PORT:-8000}" --workers "${WEB_CONCURRENCY:-2}" --lifespan off \
    --proxy-headers --forwarded-allow-ips "*" --no-access-log
