from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vrijuit.core.admin import NetworkScopedAdmin, NetworkScopedInline
from vrijuit.core.roles import Perm

from .models import Agreement, Membership, Municipality, Network, Partner


class MunicipalityInline(NetworkScopedInline, admin.TabularInline):
    model = Municipality
    extra = 0


@admin.register(Network)
class NetworkAdmin(NetworkScopedAdmin):
    network_field = "pk"
    view_perm = Perm.NETWORK_VIEW
    list_display = ("name", "slug", "contact_name")
    inlines = [MunicipalityInline]
    fieldsets = [
        (None, {"fields": ["slug", "name", "vision"]}),
        (
            _("Contact"),
            {
                "fields": [
                    "contact_name",
                    "contact_function",
                    "contact_email",
                    "contact_phone",
                    "desk_address",
                    "desk_opening_hours",
                ]
            },
        ),
        (
            _("Discount"),
            {
                "fields": [
                    "participant_share",
                    "organiser_share",
                    "municipality_share",
                    "rounding_step",
                    "minimum_price",
                    "status_validity",
                    "status_validity_months",
                    "status_late_grant_months",
                    "grace_days",
                    "desk_may_grant_status",
                    "max_discount_per_year",
                    "max_checkins_per_activity_per_year",
                    "budget_mode",
                ]
            },
        ),
        (_("Privacy"), {"fields": ["retention_years", "require_two_factor"]}),
        (_("Payments"), {"fields": ["payer_name", "payer_iban", "payer_bic"]}),
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Partner)
class PartnerAdmin(NetworkScopedAdmin):
    list_display = ("name", "kind", "network", "is_active")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Agreement)
class AgreementAdmin(NetworkScopedAdmin):
    list_display = ("title", "network", "starts_on", "ends_on", "drawing_right")


@admin.register(Membership)
class MembershipAdmin(NetworkScopedAdmin):
    perm = Perm.MEMBERSHIP_MANAGE
    list_display = ("user", "network", "role", "partner", "organiser", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ()
