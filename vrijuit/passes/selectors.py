from .constants import PassState
from .models import Pass


def pass_get_by_number(network, number):
    """The pass with this number in ``network`` (any state), or None."""
    return Pass.objects.select_related("participant").filter(network=network, number=number).first()


def active_pass_for(participant):
    return Pass.objects.filter(participant=participant, state=PassState.ACTIVE).first()


def passes_for_participant(participant):
    return Pass.objects.filter(participant=participant).order_by("-issued_at")


def pass_for_private_link(access_key):
    """The active pass behind a digital-pass link, or None."""
    if not access_key or len(access_key) > 64:
        return None
    # The private link is unique across networks and names its pass (and so its network).
    return (
        Pass.objects.unscoped()
        .select_related("participant", "network")
        .filter(access_key=access_key, state=PassState.ACTIVE)
        .first()
    )


def pass_get(network, pk):
    """The pass with this id in ``network`` (any state), or None (also for another network's)."""
    return Pass.objects.select_related("participant").filter(network=network, pk=pk).first()
