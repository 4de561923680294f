from django.db import models
from django.utils.translation import gettext_lazy as _

from vrijuit.core.errors import ErrorCatalogue


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


class ErrorCode(ErrorCatalogue):
    """The catalogue's codes (``catalogue.exceptions.ActivityRefused``)."""

    ACTIVITY_REFUSED = (
        "activity_refused",
        422,
        _("This change to the activity is not possible. Check what you entered."),
    )
    ACTIVITY_STATE = (
        "activity_state",
        422,
        _("The activity cannot go to this state from the state it is in now."),
    )
    SERIES_WEEKDAYS = (
        "series_weekdays",
        422,
        _("Choose the days of the week from Monday to Sunday."),
    )
    SERIES_TOO_LONG = (
        "series_too_long",
        422,
        _("A series has at most 400 dates. Choose an earlier last day."),
    )
    SERIES_DURATION = (
        "series_duration",
        422,
        _("A date cannot end before it starts. Check the duration."),
    )
