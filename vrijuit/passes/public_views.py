"""The digital pass: a private link that shows the pass on a phone, also without internet.

No login: the secret in the link (``Pass.access_key``) is the key. The page shows the
network, the first name, the number as a QR code and in groups of four, and nothing that
depends on the reduced-tariff status. A blocked pass or a replaced link shows a friendly
"this link no longer works" page.

Every answer under ``/pass/`` is kept by no HTTP cache (``no-store``, see
``core/caching.py``; offline, the service worker answers from its own Cache Storage), sends no
referrer (the link is the secret) and asks search engines not to index it.
"""

import json

import segno

from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .selectors import pass_for_private_link

BRAND = "#0b5c3b"


def _private(response):
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _usable_pass(access_key):
    pass_ = pass_for_private_link(access_key)
    if pass_ is None or pass_.participant.is_erased:
        return None
    return pass_


def _gone(request):
    return _private(render(request, "passes/digital_pass_gone.html", status=404))


def qr_svg(number, title):
    """The QR code of ``number`` as inline SVG (a full QR code, never a Micro QR, which many
    phone and till scanners cannot read)."""
    qr = segno.make_qr(number, error="m")
    svg = qr.svg_inline(
        border=4, omitsize=True, title=title, svgclass="qr-code", lineclass=None, light="#fff"
    )
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)


@require_safe
def digital_pass(request, access_key):
    pass_ = _usable_pass(access_key)
    if pass_ is None:
        return _gone(request)
    response = render(
        request,
        "passes/digital_pass.html",
        {
            "pass": pass_,
            "network": pass_.network,
            "first_name": pass_.participant.first_name,
            "access_key": access_key,
            "qr_svg": qr_svg(pass_.number, _("QR code of the pass number")),
        },
    )
    return _private(response)


@require_safe
def manifest(request, access_key):
    """Lets the phone put this pass on its home screen, opening straight at it."""
    pass_ = _usable_pass(access_key)
    if pass_ is None:
        return _gone(request)
    start = reverse("digital_pass:pass", args=[access_key])
    data = {
        "id": start,
        "name": _("%(network)s: my pass") % {"network": pass_.network.name},
        "short_name": _("My pass"),
        "lang": get_language(),
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": BRAND,
        "icons": [{"src": static("vrijuit/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    return _private(response)
