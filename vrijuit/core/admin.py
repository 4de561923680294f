"""Admin scoped by network through the same permission check as pages and the API.

Superusers see everything. A staff member sees and chooses only what belongs to the
networks where their role allows it: the rows of each list, every choice list of a form
(networks, partners, organisers, users, …), the list filters and the inlines. An id of
another network sent in a form is refused as an invalid choice, because the form only
knows the scoped choices. Admins of models without a network (users, groups, login
attempts, two-factor devices) are for superusers only, whatever Django permissions an
account has been given (``restrict_unscoped_admins``).
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models

from .models import AuditEvent
from .permissions import can, principal_for_user
from .roles import Perm


def _network_of(obj):
    Network = apps.get_model("networks", "Network")

    return obj if isinstance(obj, Network) else getattr(obj, "network", None)


def networks_where(user, perm):
    """The networks in which ``user``'s active membership has ``perm``."""
    Network = apps.get_model("networks", "Network")
    networks = Network.objects.filter(
        memberships__user=user, memberships__is_active=True
    ).distinct()
    return [n for n in networks if can(principal_for_user(user, n), perm)]


def scope_to_networks(queryset, networks):
    """``queryset`` limited to the rows of ``networks``; nothing for a model without a network.

    Users belong to the networks where they have a membership; a model without a path to
    a network offers no choices at all (closed by default), so a new foreign key cannot
    quietly list every network's rows.
    """
    ids = [n.pk for n in networks]
    model = queryset.model
    if model._meta.label_lower == "networks.network":
        return queryset.filter(pk__in=ids)
    if model is get_user_model():
        return queryset.filter(memberships__network__in=ids).distinct()
    if any(f.name == "network" and f.is_relation for f in model._meta.fields):
        return queryset.filter(network__in=ids)
    return queryset.none()


class NetworkScopedFormfields:
    """Every foreign key and many-to-many choice list limited to the user's networks."""

    def _scope_networks(self, request):
        raise NotImplementedError

    def _scope_field(self, field, request):
        if field is None or request.user.is_superuser:
            return field
        if getattr(field, "queryset", None) is not None:
            field.queryset = scope_to_networks(field.queryset, self._scope_networks(request))
        return field

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Every relation passes here, whatever its widget (select, raw id, autocomplete).
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.ForeignKey | models.ManyToManyField):
            return self._scope_field(field, request)
        return field


class NetworkScopedAdmin(NetworkScopedFormfields, admin.ModelAdmin):
    """Superusers see everything; a staff member sees the rows of networks where their role
    has ``perm`` (``view_perm`` for reading)."""

    perm = Perm.NETWORK_MANAGE
    view_perm = None
    network_field = "network"

    def _networks(self, request, perm):
        return networks_where(request.user, perm)

    def _scope_networks(self, request):
        return self._networks(request, self.perm)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        networks = self._networks(request, self.view_perm or self.perm)
        return qs.filter(**{f"{self.network_field}__in": [n.pk for n in networks]})

    def get_list_filter(self, request):
        """A filter on a relation lists only the related rows that appear in the list."""
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        scoped = []
        for entry in filters:
            if isinstance(entry, str) and "__" not in entry:
                field = self.model._meta.get_field(entry)
                if field.is_relation:
                    entry = (entry, admin.RelatedOnlyFieldListFilter)
            scoped.append(entry)
        return scoped

    def _allowed(self, request, obj, perm):
        if request.user.is_superuser:
            return True
        if obj is None:
            return bool(self._networks(request, perm))
        network = _network_of(obj)
        return network is not None and can(principal_for_user(request.user, network), perm, obj)

    def has_module_permission(self, request):
        return self._allowed(request, None, self.view_perm or self.perm)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj, self.view_perm or self.perm)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj, self.perm)

    def has_add_permission(self, request):
        return self._allowed(request, None, self.perm)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj, self.perm)


class NetworkScopedInline(NetworkScopedFormfields):
    """An inline of a network-scoped admin: the parent's rights, the same scoped choices.

    Mix in before ``admin.TabularInline`` or ``admin.StackedInline``.
    """

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def _scope_networks(self, request):
        parent = self._parent_admin()
        return parent._networks(request, parent.perm)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return scope_to_networks(qs, self._scope_networks(request))

    def _parent_allows(self, request, obj, perm):
        parent = self._parent_admin()
        return parent._allowed(request, obj, perm)

    def has_view_permission(self, request, obj=None):
        parent = self._parent_admin()
        return self._parent_allows(request, obj, parent.view_perm or parent.perm)

    def has_change_permission(self, request, obj=None):
        return self._parent_allows(request, obj, self._parent_admin().perm)

    def has_add_permission(self, request, obj=None):
        return self._parent_allows(request, obj, self._parent_admin().perm)

    def has_delete_permission(self, request, obj=None):
        return self._parent_allows(request, obj, self._parent_admin().perm)


def restrict_unscoped_admins(site=admin.site):
    """Admins that do not scope by network answer only to superusers.

    Django would let any staff account with a model permission (say ``auth.view_user``)
    read every network's users, login attempts or two-factor devices.
    """
    for model_admin in site._registry.values():
        if isinstance(model_admin, NetworkScopedAdmin) or getattr(
            model_admin, "_superuser_only", False
        ):
            continue
        _superuser_only(model_admin)


def _superuser_only(model_admin):
    def refuse_staff(method):
        def check(request, *args, **kwargs):
            return request.user.is_superuser and method(request, *args, **kwargs)

        return check

    for name in (
        "has_module_permission",
        "has_view_permission",
        "has_change_permission",
        "has_add_permission",
        "has_delete_permission",
    ):
        setattr(model_admin, name, refuse_staff(getattr(model_admin, name)))
    model_admin._superuser_only = True


@admin.register(AuditEvent)
class AuditEventAdmin(NetworkScopedAdmin):
    perm = Perm.AUDIT_VIEW
    list_display = ("occurred_at", "actor_label", "source", "action", "object_type", "object_repr")
    list_filter = ("action", "source")
    search_fields = ("actor_label", "object_repr", "object_id")
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
