"""Settings of the server that ``bench/checkin.py`` starts — never used in production.

The product's own settings (``config.settings``: same middleware, same database options,
persistent connections with ``CONN_MAX_AGE``), plus two bare comparison views under
``/bench/`` (``bench/checkin_urls.py``) and a rate limit that does not throttle the benchmark.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.checkin_urls"

# The benchmark sends thousands of requests a minute with one organiser token: measure the
# check-in, not the throttle (which still runs and counts, in the local-memory cache).
API_RATE_AUTHENTICATED = "100000000/m"
API_RATE_ANONYMOUS = "100000000/m"
