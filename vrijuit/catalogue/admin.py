from django.contrib import admin

from vrijuit.core.admin import NetworkScopedAdmin
from vrijuit.core.roles import Perm

from .models import Organiser


@admin.register(Organiser)
class OrganiserAdmin(NetworkScopedAdmin):
    perm = Perm.ORGANISER_CREATE
    view_perm = Perm.ORGANISER_VIEW
    list_display = ("name", "slug", "network", "partner", "is_active")
    search_fields = ("name", "slug")
