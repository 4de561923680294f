"""The audit log: every change to a registered model, and explicit events such as views.

Changes are captured from model signals, so that edits through services, the admin and
management commands are all logged. Who made the change comes from the current audit
context, which the web middleware, the API authentication and commands set.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save

from .models import AuditAction, AuditEvent

MASK = "•••"


@dataclass
class AuditContext:
    user: object | None = None
    label: str = ""
    source: str = ""
    context: str = ""
    ip_address: str | None = None
    request: object | None = field(default=None, repr=False)

    def resolve_user(self):
        if self.user is None and self.request is not None:
            user = getattr(self.request, "user", None)
            if user is not None and user.is_authenticated:
                return user
            return None
        return self.user


_current: ContextVar[AuditContext | None] = ContextVar("vrijuit_audit_context", default=None)


def current_context() -> AuditContext | None:
    return _current.get()


@contextlib.contextmanager
def audit_context(**kwargs):
    """Attribute the audit events inside this block to the given actor and source."""
    token = _current.set(AuditContext(**kwargs))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def set_context(ctx: AuditContext):
    return _current.set(ctx)


def reset_context(token):
    _current.reset(token)


# --- registry -------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    exclude: frozenset[str]
    masked: frozenset[str]


_registry: dict[type, Registration] = {}


def register(model, *, exclude=("created_at", "updated_at"), masked=()):
    """Log every create, change and delete of ``model``. ``masked`` fields are logged as
    changed without their values (personal data stays out of the log)."""
    _registry[model] = Registration(frozenset(exclude), frozenset(masked))


def is_registered(model) -> bool:
    return model in _registry


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def _field_values(instance, reg: Registration) -> dict:
    values = {}
    for f in instance._meta.concrete_fields:
        if f.primary_key or f.name in reg.exclude:
            continue
        value = getattr(instance, f.attname)
        if isinstance(value, Decimal) and getattr(f, "decimal_places", None) is not None:
            # 25 from a form and 25.00 from the database are the same amount
            value = value.quantize(Decimal(1).scaleb(-f.decimal_places))
        values[f.name] = _plain(value)
    return values


def _network_id_of(instance):
    Network = apps.get_model("networks", "Network")

    if isinstance(instance, Network):
        return instance.pk
    return getattr(instance, "network_id", None)


def record(
    *,
    action,
    network=None,
    network_id=None,
    obj=None,
    changes=None,
    context="",
    object_type="",
    object_id="",
    object_repr="",
):
    """Write one audit event attributed to the current context."""
    ctx = current_context() or AuditContext(source="system", label="system")
    user = ctx.resolve_user()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
        if network is None and network_id is None:
            network_id = _network_id_of(obj)
    if network is not None:
        network_id = network.pk
    return AuditEvent.objects.create(
        network_id=network_id,
        actor=user,
        actor_label=(ctx.label or (user.get_username() if user else ""))[:200],
        source=ctx.source[:20],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
        context=(context or ctx.context)[:200],
        ip_address=ctx.ip_address,
    )


def _on_pre_save(sender, instance, raw=False, **kwargs):
    reg = _registry.get(sender)
    if reg is None or raw or instance._state.adding:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = _field_values(old, reg) if old is not None else None


def _on_post_save(sender, instance, created, raw=False, **kwargs):
    reg = _registry.get(sender)
    if reg is None or raw:
        return
    after = _field_values(instance, reg)
    before = None if created else getattr(instance, "_audit_before", None)
    if before is None:
        changes = {name: [None, value] for name, value in after.items() if value not in ("", None)}
        action = AuditAction.CREATE
    else:
        changes = {
            name: [before.get(name), value]
            for name, value in after.items()
            if before.get(name) != value
        }
        action = AuditAction.UPDATE
        if not changes:
            return
    for name in reg.masked & changes.keys():
        changes[name] = [MASK if changes[name][0] not in ("", None) else None, MASK]
    record(action=action, obj=instance, changes=changes)


def _on_post_delete(sender, instance, **kwargs):
    if sender not in _registry:
        return
    Network = apps.get_model("networks", "Network")

    network_id = None if isinstance(instance, Network) else _network_id_of(instance)
    record(action=AuditAction.DELETE, obj=instance, network_id=network_id)


def connect_signals():
    pre_save.connect(_on_pre_save, dispatch_uid="vrijuit_audit_pre_save")
    post_save.connect(_on_post_save, dispatch_uid="vrijuit_audit_post_save")
    post_delete.connect(_on_post_delete, dispatch_uid="vrijuit_audit_post_delete")
