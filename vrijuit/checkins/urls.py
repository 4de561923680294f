"""The scanner page for organisers; included at ``/scan/``."""

from django.urls import path

from . import views

app_name = "scanner"
urlpatterns = [
    path("", views.scanner, name="page"),
    path("cancel/", views.cancel, name="cancel"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
