"""The product's URLs plus the two bare views the check-in benchmark compares against.

Only ``bench/checkin_settings.py`` names this module: production (``config.urls``) has
neither view. Both are plain Django views behind the same middleware as the API.

* ``POST /bench/json``: reads the JSON body and answers a small JSON object, nothing else.
* ``POST /bench/write``: the same, with one small write transaction through the ORM (a
  counter row, ``UPDATE … SET spent = spent + 1`` of a budget row of the year 1999 that
  ``bench/checkin.py`` creates and names in ``BENCH_COUNTER_ID``).
"""

import json
import os

from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as product_urlpatterns
from vrijuit.checkins.models import Budget

COUNTER_ID = os.environ.get("BENCH_COUNTER_ID", "")


@csrf_exempt
@require_POST
def bare_json(request):
    body = json.loads(request.body or b"{}")
    return JsonResponse({"ok": True, "keys": len(body)})


@csrf_exempt
@require_POST
def bare_write(request):
    body = json.loads(request.body or b"{}")
    with transaction.atomic():
        updated = Budget.objects.filter(pk=COUNTER_ID).update(spent=F("spent") + 1)
    return JsonResponse({"ok": bool(updated), "keys": len(body)})


urlpatterns = [
    path("bench/json", bare_json),
    path("bench/write", bare_write),
    *product_urlpatterns,
]
