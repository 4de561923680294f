from django.contrib import admin
from django.urls import include, path

from vrijuit.api.urls import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("account/", include("vrijuit.accounts.urls")),
    path("api/v1/", api.urls),
    path("desk/", include("vrijuit.desk.urls")),
    path("", include("vrijuit.public.urls")),
]
