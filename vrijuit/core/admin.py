"""Admin scoped by network through the same permission check as pages and the API."""

from django.apps import apps
from django.contrib import admin

from .models import AuditEvent
from .permissions import can, principal_for_user
from .roles import Perm


def _network_of(obj):
    Network = apps.get_model("networks", "Network")

    return obj if isinstance(obj, Network) else getattr(obj, "network", None)


class NetworkScopedAdmin(admin.ModelAdmin):
    """Superusers see everything; a staff member sees the rows of networks where their role
    has ``perm`` (``view_perm`` for reading)."""

    perm = Perm.NETWORK_MANAGE
    view_perm = None
    network_field = "network"

    def _networks(self, request, perm):
        Network = apps.get_model("networks", "Network")

        networks = Network.objects.filter(
            memberships__user=request.user, memberships__is_active=True
        ).distinct()
        return [n for n in networks if can(principal_for_user(request.user, n), perm)]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        networks = self._networks(request, self.view_perm or self.perm)
        return qs.filter(**{f"{self.network_field}__in": networks})

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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if request.user.is_superuser:
            return field
        networks = self._networks(request, self.perm)
        model = db_field.related_model
        if model._meta.label_lower == "networks.network":
            field.queryset = field.queryset.filter(pk__in=[n.pk for n in networks])
        elif any(f.name == "network" for f in model._meta.fields):
            field.queryset = field.queryset.filter(network__in=networks)
        return field


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
