import contextlib

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from .models import AuditAction, AuditEvent


def audit_events_for_network(network, *, action=""):
    """The audit log of ``network``, newest first."""
    events = AuditEvent.objects.filter(network=network).select_related("actor")
    if action:
        events = events.filter(action=action)
    return events


def audit_change_lines(event):
    """``[(field label, old, new)]`` for showing an event: labels in the reader's language."""
    try:
        model = apps.get_model(event.object_type) if event.object_type else None
    except (LookupError, ValueError):
        model = None
    if event.action == AuditAction.SEARCH:
        # Which records are kept for the person's access history; the count says enough here.
        return [(_("people found"), None, (event.changes or {}).get("count"))]
    lines = []
    for name, change in (event.changes or {}).items():
        label = name
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                label = str(model._meta.get_field(name).verbose_name)
        old, new = ([*list(change), None, None])[:2] if isinstance(change, list) else (None, change)
        lines.append((label, old, new))
    return lines


def audit_object_label(event):
    try:
        return str(apps.get_model(event.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return event.object_type
