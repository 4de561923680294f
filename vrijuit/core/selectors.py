from .models import AuditEvent


def audit_events_for_network(network, *, action=""):
    """The audit log of ``network``, newest first."""
    events = AuditEvent.objects.filter(network=network).select_related("actor")
    if action:
        events = events.filter(action=action)
    return events
