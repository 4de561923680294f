from vrijuit.checkins.tests.conftest import door  # noqa: F401 (the same door to scan at)
