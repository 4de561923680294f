from datetime import timedelta
from decimal import Decimal

import factory

from django.utils import timezone

from vrijuit.catalogue.constants import ActivityState, Category
from vrijuit.catalogue.models import Activity, Occurrence
from vrijuit.catalogue.services import activity_search_text
from vrijuit.networks.tests.factories import OrganiserFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    """A published activity at € 12,00; ``ActivityFactory(draft=True)`` for a draft."""

    class Meta:
        model = Activity

    organiser = factory.SubFactory(OrganiserFactory)
    network = factory.SelfAttribute("organiser.network")
    title = factory.Sequence(lambda n: f"Zwemles {n}")
    description = "Leren zwemmen in kleine groepen."
    category = Category.SPORT
    location_name = "Zwembad De Dolfijn"
    address = "Sportlaan 1"
    postal_code = "2150"
    regular_price = Decimal("12.00")
    state = ActivityState.PUBLISHED

    class Params:
        draft = factory.Trait(state=ActivityState.DRAFT)
        archived = factory.Trait(state=ActivityState.ARCHIVED)
        free = factory.Trait(regular_price=Decimal("0.00"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        activity = model_class(*args, **kwargs)
        activity.search_text = activity_search_text(activity)
        activity.save()
        return activity


class OccurrenceFactory(factory.django.DjangoModelFactory):
    """An occurrence a week from now, 2 hours long; ``cancelled=True`` for a cancelled one."""

    class Meta:
        model = Occurrence

    activity = factory.SubFactory(ActivityFactory)
    network = factory.SelfAttribute("activity.network")
    start = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))

    class Params:
        cancelled = factory.Trait(
            cancelled_at=factory.LazyFunction(timezone.now), cancel_reason="Zwembad dicht"
        )
