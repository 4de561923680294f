"""The scanner page for organisers; included at ``/scan/``."""

from django.urls import path

from vrijuit.core.service_worker import service_worker

from . import views

app_name = "scanner"
urlpatterns = [
    path("", views.scanner, name="page"),
    path("cancel/", views.cancel, name="cancel"),
    path(
        "sw.js",
        service_worker,
        {"name": "scanner", "version": 1, "start": "./"},
        name="service_worker",
    ),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
