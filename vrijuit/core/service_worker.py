"""The one view that serves the service worker (``core/static/vrijuit/sw.js``) to each scope.

Each screen that works without internet mounts this view as ``sw.js`` in its own URL prefix
(``/scan/sw.js``, ``/pass/sw.js``) with its settings as URL keyword arguments; the scope is
the folder the script is served from, never wider. The script is the same for every scope:
only the small settings object in front of it differs (the name and version of the kept copy,
and the start page shown without a connection).
"""

import json
from functools import cache
from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from .caching import no_personal_data

SCRIPT = Path(__file__).resolve().parent / "static" / "vrijuit" / "sw.js"


@cache
def _script():
    return SCRIPT.read_text(encoding="utf-8")


def settings_for(*, name, version, start=None):
    """The settings the script reads: the kept copy's name, its family and the start page."""
    family = f"vrijuit-{name}-"
    return {"cache": f"{family}v{version}", "family": family, "start": start}


@no_personal_data
@require_safe
def service_worker(request, *, name, version, start=None):
    """``sw.js`` for the scope it is served from: ``name`` and ``version`` name the kept copy;
    ``start`` is the page (relative to the scope) to show offline when the asked one was never
    kept."""
    scope = request.path.rsplit("/", 1)[0] + "/"
    config = settings_for(name=name, version=version, start=start)
    body = f"self.vrijuitServiceWorker = {json.dumps(config)};\n{_script()}"
    response = HttpResponse(body, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = scope
    response["X-Robots-Tag"] = "noindex"
    return response
