from django.contrib import admin

from vrijuit.core.admin import NetworkScopedAdmin
from vrijuit.core.roles import Perm

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(NetworkScopedAdmin):
    """Read-only: tokens are made with the back office or ``create_api_token``."""

    perm = Perm.APITOKEN_MANAGE
    list_display = (
        "name",
        "network",
        "role",
        "organiser",
        "key_hint",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = (
        "network",
        "name",
        "role",
        "organiser",
        "key_hint",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    exclude = ("key_hash",)

    def has_add_permission(self, request):
        return False
