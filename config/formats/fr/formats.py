# Belgian French uses the same formats as Belgian Dutch: 27/11/2026, 14:30, 2.432,00 €
from config.formats.nl.formats import *  # noqa: F403
