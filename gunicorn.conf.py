"""Production settings for gunicorn: `gunicorn -c gunicorn.conf.py` from the repository
root (the WSGI module puts `site/` on the path itself).

The numbers hang together: a request may take up to `timeout` seconds before the
worker is killed, and a Stripe call takes at most STRIPE_TIMEOUT × (1 +
STRIPE_MAX_NETWORK_RETRIES) plus the library's pause (8 × 2 + 0.5 = 16.5 s with the
defaults), which leaves 10 s to place the order: start() then gives up on Stripe and
gives the basket back itself, rather than the worker dying with the order half
started (tests/plugins/payments/test_stuck_orders.py checks it). An order left waiting
anyway is settled by `manage.py expire_waiting_payments` (cron).

`make serve-production` (site/deploy/serve_production.sh) runs the migrations and
collectstatic first, then this, with the task worker beside it. A worker that cannot
load the application (a wrong environment variable, static files not collected: see
townmarket/wsgi.py) makes gunicorn stop at once with that message, rather than serve
500s. Load balancers probe /healthz (database and caches: 200 or 503)."""
import multiprocessing
import os

wsgi_app = "townmarket.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one worker, so a slow Stripe or database holds one,
# not the whole site. 2 per core plus one, as gunicorn's documentation advises.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Seconds a request may run before the arbiter kills its worker (SIGABRT): keep it above
# the Stripe budget plus the time to place an order (see above).
timeout = 30
# On restart (SIGHUP, deploy) or stop (SIGTERM), requests under way get this long to end.
graceful_timeout = 30
# Behind a reverse proxy on the same machine: idle keep-alive connections are cheap.
keepalive = 5
# A worker is replaced after this many requests (jittered), bounding any slow leak.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
