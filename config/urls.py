from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from vrijuit.api.urls import api

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("vrijuit/favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("account/", include("vrijuit.accounts.urls")),
    path("api/v1/", api.urls),
    path("desk/", include("vrijuit.desk.urls")),
    path("", include("vrijuit.public.urls")),
]
