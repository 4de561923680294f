"""The audit log as a person reads it: in the reader's language, with names instead of ids.

The log stores plain values (``"draft"``, a primary key, ``"2026-12-04"``); this module turns
them into what the pages show: the field's label, the choice's label, the related record's
name, a Belgian date, an amount in euros. Masked personal fields stay masked.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import MASK
from .models import AuditAction
from .money import format_eur
from .tenancy import is_tenant_model

EMPTY = "–"

SOURCES = {
    "web": gettext_lazy("website"),
    "admin": gettext_lazy("administration"),
    "api": gettext_lazy("API"),
    "command": gettext_lazy("command on the server"),
    "system": gettext_lazy("system"),
}
# Fixed contexts that services write (a request path is shown as it is).
CONTEXTS = {
    "statement pdf": gettext_lazy("statement as PDF"),
    "statement csv": gettext_lazy("statement as CSV"),
    "payment batch csv": gettext_lazy("payment batch as CSV"),
    "payment batch xml": gettext_lazy("payment batch as SEPA file"),
    "money report csv": gettext_lazy("money report as CSV"),
    "money report xlsx": gettext_lazy("money report as Excel"),
    "desk:export": gettext_lazy("export of personal data"),
    "desk:export-pdf": gettext_lazy("export of personal data as PDF"),
    "desk:export-json": gettext_lazy("export of personal data as JSON"),
    "desk:pass_card": gettext_lazy("printed pass card"),
    "retention": gettext_lazy("erased after the retention period"),
}


class _Names:
    """Names of related records, looked up once per page (a page shows 50 events)."""

    def __init__(self):
        self._cache = {}
        self.network_id = None  # the events' network: a named record is one of its rows

    def name(self, model, pk):
        key = (model._meta.label_lower, str(pk))
        if key not in self._cache:
            obj = None
            with contextlib.suppress(ValueError, TypeError, ValidationError):
                objects = model._default_manager.filter(pk=pk)
                if is_tenant_model(model):
                    objects = objects.for_network(self.network_id)
                obj = objects.first()
            self._cache[key] = _object_name(obj) if obj is not None else None
        return self._cache[key]


def _object_name(obj):
    if obj._meta.label == settings.AUTH_USER_MODEL:
        return obj.get_full_name() or obj.get_username()
    return str(obj)


def _model(event):
    try:
        return apps.get_model(event.object_type) if event.object_type else None
    except (LookupError, ValueError):
        return None


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _shown(field, value, names):
    """One stored value as the reader should see it."""
    if value is None or value == "":
        return EMPTY
    if value == MASK:
        return MASK
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        name = names.name(field.related_model, value)
        return name if name is not None else _("(removed)")
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "SHORT_DATETIME_FORMAT")
    elif isinstance(field, models.DateField):
        day = parse_date(str(value))
        if day is not None:
            return date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(field, models.DecimalField):
        with contextlib.suppress(InvalidOperation, TypeError):
            amount = Decimal(str(value))
            return format_eur(amount) if field.decimal_places == 2 else str(amount)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or EMPTY
    if isinstance(value, (date, datetime)):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def change_lines(event, names=None):
    """``[(field label, old, new)]`` of one event, ready to show."""
    if event.action == AuditAction.SEARCH:
        # Which records were shown is kept for the person's access history; the count says
        # enough here.
        return [(capfirst(_("people found")), EMPTY, (event.changes or {}).get("count"))]
    names = names or _Names()
    names.network_id = event.network_id
    model = _model(event)
    lines = []
    for name, change in (event.changes or {}).items():
        field = _field(model, name)
        if field is not None and field.name == "network":
            continue  # always the reader's own network: says nothing
        label = capfirst(field.verbose_name) if field is not None else name
        old, new = ([*list(change), None, None])[:2] if isinstance(change, list) else (None, change)
        lines.append((label, _shown(field, old, names), _shown(field, new, names)))
    return lines


def object_label(event):
    """The kind of record (``Pas``, ``Kansenstatuut``) in the reader's language."""
    model = _model(event)
    return capfirst(model._meta.verbose_name) if model is not None else event.object_type


def actor_name(event):
    """Who acted: the staff member's name, else the label stored (a command, a token)."""
    if event.actor is not None:
        return event.actor.get_full_name() or event.actor.get_username()
    if event.actor_label == "system":
        return _("system")
    return event.actor_label or EMPTY


def context_label(event):
    return str(CONTEXTS.get(event.context, event.context))


def audit_rows(events):
    """What the audit page shows per event."""
    names = _Names()
    return [
        {
            "event": event,
            "who": actor_name(event),
            "source": str(SOURCES.get(event.source, event.source)),
            "lines": change_lines(event, names),
            "object_label": object_label(event),
            "context": context_label(event),
        }
        for event in events
    ]
