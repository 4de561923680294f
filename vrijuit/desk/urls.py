from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("", views.desk_entry, name="entry"),
    path("<slug:network>/", views.home, name="home"),
    path("<slug:network>/network/", views.network_detail, name="network"),
    path("<slug:network>/network/edit/", views.network_edit, name="network_edit"),
    path("<slug:network>/organisers/", views.organisers, name="organisers"),
    path("<slug:network>/staff/", views.members, name="members"),
    path("<slug:network>/api-tokens/", views.tokens, name="tokens"),
    path(
        "<slug:network>/api-tokens/<uuid:token_id>/revoke/", views.token_revoke, name="token_revoke"
    ),
    path("<slug:network>/audit/", views.audit_log, name="audit"),
]
