"""WSGI entry point (gunicorn config.wsgi). The settings module follows config.entry's one rule."""

from django.core.wsgi import get_wsgi_application

from config.entry import use_settings

use_settings()
application = get_wsgi_application()
