from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    SPORT = "sport", _("Sport")
    CULTURE = "culture", _("Culture")
    YOUTH = "youth", _("Youth")
    NATURE = "nature", _("Nature and outings")
    COURSES = "courses", _("Courses and workshops")
    HOLIDAYS = "holidays", _("Holidays and trips")
    OTHER = "other", _("Other")


class ActivityState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


ACTIVITY_TRANSITIONS = {
    ActivityState.DRAFT: {ActivityState.PUBLISHED, ActivityState.ARCHIVED},
    ActivityState.PUBLISHED: {ActivityState.ARCHIVED, ActivityState.DRAFT},
    ActivityState.ARCHIVED: {ActivityState.DRAFT},
}

# A weekly series made in one go never holds more occurrences than this.
MAX_SERIES_OCCURRENCES = 400
