"""Desk routes for passes; included under ``/desk/``."""

from django.urls import path

from . import pass_views as views

app_name = "passes"
urlpatterns = [
    path("<slug:network>/passes/<uuid:pass_id>/card.pdf", views.pass_card_pdf, name="card_pdf"),
]
