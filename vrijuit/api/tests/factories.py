from vrijuit.api.services import api_token_create


def make_token(network, role, organiser=None, name="tests"):
    """Create an API token the way the product does; returns the raw bearer string."""
    _token, raw = api_token_create(network=network, role=role, name=name, organiser=organiser)
    return raw
