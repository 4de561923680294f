from django.urls import path

from . import feeds, views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("<slug:network>/activities.ics", feeds.activities_ics, name="activities_ics"),
    path("<slug:network>/activities.csv", feeds.activities_csv, name="activities_csv"),
    path("<slug:network>/activities/<slug:category>.ics", feeds.category_ics, name="category_ics"),
    path("<slug:network>/", views.network_home, name="network"),
    path("<slug:network>/activities/", views.guide, name="guide"),
    path("<slug:network>/activities/<uuid:activity_id>/", views.guide_activity, name="activity"),
]
