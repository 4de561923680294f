from .models import Organiser


def organisers_for_network(network):
    """Active and inactive organisers of ``network``, by name."""
    return Organiser.objects.filter(network=network).order_by("name")


def organiser_get(*, network, pk):
    """One organiser of ``network``, or None (also when it belongs to another network)."""
    return Organiser.objects.filter(network=network, pk=pk).first()
