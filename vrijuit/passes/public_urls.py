"""Public routes of the digital pass; included at ``/pass/`` before the public site."""

from django.urls import path

from vrijuit.core.service_worker import service_worker

from . import public_views as views

app_name = "digital_pass"
urlpatterns = [
    path("sw.js", service_worker, {"name": "pass", "version": 1}, name="service_worker"),
    path("<str:access_key>/", views.digital_pass, name="pass"),
    path("<str:access_key>/manifest.webmanifest", views.manifest, name="manifest"),
]
