from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("<slug:network>/", views.network_home, name="network"),
    path("<slug:network>/activities/", views.guide, name="guide"),
    path("<slug:network>/activities/<uuid:activity_id>/", views.guide_activity, name="activity"),
]
