"""gunicorn's access log without the tokens some paths carry (common.log_redaction says which)."""

from __future__ import annotations

from gunicorn.glogging import Logger

from common.log_redaction import redact_path


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact_path(atoms["U"])
        return atoms
