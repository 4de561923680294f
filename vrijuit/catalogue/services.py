from django.db import transaction
from django.utils.text import slugify

from .models import Organiser
from .validators import normalise_iban


def _unique_slug(network, name):
    base = slugify(name)[:50] or "organisator"
    slug, n = base, 2
    while Organiser.objects.filter(network=network, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organiser_create(*, network, name, partner=None, email="", phone="", iban="", slug=None):
    """Add an organiser to ``network``; the short name is made from the name when not given."""
    organiser = Organiser(
        network=network,
        name=name.strip(),
        partner=partner,
        email=email,
        phone=phone,
        iban=normalise_iban(iban),
        slug=slug or _unique_slug(network, name),
    )
    organiser.full_clean()
    organiser.save()
    return organiser
