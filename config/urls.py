from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from vrijuit.api.urls import api


def favicon(request):
    # Resolved per request: with the production manifest storage the hashed name exists
    # only after collectstatic.
    return redirect(static("vrijuit/favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("account/", include("vrijuit.accounts.urls")),
    path("api/v1/", api.urls),
    path("desk/", include("vrijuit.desk.pass_urls")),
    path("desk/", include("vrijuit.desk.urls")),
    path("pass/", include("vrijuit.passes.public_urls")),
    path("scan/", include("vrijuit.checkins.urls")),
    path("", include("vrijuit.public.urls")),
]
