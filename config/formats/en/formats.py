# English as used in Belgium: the same day/month/year dates and decimal comma as Dutch,
# so that amounts and dates read the same whichever language a staff member picks.
from config.formats.nl.formats import *  # noqa: F403
