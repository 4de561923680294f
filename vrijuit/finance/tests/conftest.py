from vrijuit.checkins.tests.conftest import door  # noqa: F401 (the same door to scan at)
from vrijuit.checkins.tests.test_check_integrity import books  # noqa: F401 (good books)
