"""Public routes of the digital pass; included at ``/pass/`` before the public site."""

from django.urls import path

from . import public_views as views

app_name = "digital_pass"
urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("<str:access_key>/", views.digital_pass, name="pass"),
    path("<str:access_key>/manifest.webmanifest", views.manifest, name="manifest"),
]
