"""Strings that Django shows but whose Dutch translation Django itself lacks.

Listing them here puts them in our catalogue (``./dev messages``); our translation then wins.
"""

from django.utils.translation import gettext_noop

EXTRA = [
    gettext_noop("- Select an option -"),
]
