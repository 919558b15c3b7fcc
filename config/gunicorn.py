"""gunicorn settings for `make run` (embedded) and production: `gunicorn config.wsgi -c config/gunicorn.py`.

Bound to 127.0.0.1 unless TINGJIAN_BIND says otherwise: an office machine serves only itself until the
office decides to open it (e.g. TINGJIAN_BIND=0.0.0.0:8000), and production sits behind nginx.
"""

from __future__ import annotations

import os

bind = os.environ.get("TINGJIAN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("TINGJIAN_WORKERS", "2"))
threads = int(os.environ.get("TINGJIAN_THREADS", "4"))
worker_class = "gthread"
timeout = 60

# The access log never carries a query string or a Referer: the resident search and the typeahead put a
# resident's phone number into the URL (hardening issue, operations). %(U)s is the path alone; %(r)s
# (the request line), %(q)s (the query) and %(f)s (the referring URL) are left out on purpose.
accesslog = "-"
# Tokens in paths (a resident's survey link, an export's download link) are written as [token].
logger_class = "config.gunicorn_logging.RedactingLogger"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'
