"""/organisers (staff) and /activities: the open data of the public guide (anyone) and
adding activities and their dates.

Reading activities needs no token: the network is the required query parameter ``network``
(its short name, as in the guide's address). Prices are those of ``catalogue.pricing``.
"""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from vrijuit.core.dates import ApiDate, ApiDateTime
from vrijuit.core.errors import CommonError, described
from vrijuit.core.exceptions import NotFound, VrijuitError
from vrijuit.core.permissions import can, organiser_bound, require
from vrijuit.core.roles import Perm
from vrijuit.networks.models import Network, Partner

from . import selectors, services
from .constants import Category
from .pricing import activity_price
from .services import organiser_create

router = Router(tags=["organisers"])
activities_router = Router(tags=["activities"])


class OrganiserIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)
    iban: str = Field("", max_length=50)
    partner: UUID | None = None


class OrganiserOut(Schema):
    id: UUID
    slug: str
    name: str
    email: str
    phone: str
    iban: str
    partner: UUID | None = Field(None, alias="partner_id")


@router.post("", response={201: OrganiserOut}, summary="Add an organiser (coordinator)")
def organiser_post(request, payload: OrganiserIn):
    principal = request.auth
    require(principal, Perm.ORGANISER_CREATE)
    partner = None
    if payload.partner:
        partner = Partner.objects.filter(network=principal.network, pk=payload.partner).first()
        if partner is None:
            raise VrijuitError(
                errors={"partner": [_("This partner is not part of your network.")]},
                code=CommonError.VALIDATION_ERROR,
            )
    try:
        organiser = organiser_create(
            network=principal.network,
            name=payload.name,
            email=payload.email,
            phone=payload.phone,
            iban=payload.iban,
            partner=partner,
        )
    except DjangoValidationError as exc:
        raise VrijuitError(
            _("Some fields are missing or not valid. Correct them and try again."),
            code=CommonError.VALIDATION_ERROR,
            errors={field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()},
        ) from exc
    return Status(201, organiser)


@router.get("", response=list[OrganiserOut], summary="Organisers of the network")
def organiser_list(request):
    principal = request.auth
    require(principal, Perm.ORGANISER_VIEW)
    return selectors.organisers_for_network(principal.network)


@router.get("/{organiser_id}", response=OrganiserOut, summary="One organiser")
def organiser_get(request, organiser_id: UUID):
    principal = request.auth
    organiser = selectors.organiser_get(network=principal.network, pk=organiser_id)
    if organiser is None:
        raise NotFound()
    if not (organiser_bound(principal) and principal.organiser_id == organiser.pk):
        require(principal, Perm.ORGANISER_VIEW, organiser)
    return organiser


# --- activities ------------------------------------------------------------------------

PAGE_SIZE = 20
NETWORK_HELP = "The network's short name (slug), as in the address of its public guide."
MONEY_HELP = "Euros with 2 decimals, as a string: `2.40`."


class OccurrenceOut(Schema):
    id: UUID
    start: datetime
    end: datetime | None
    cancelled: bool = Field(description="Cancelled; `cancel_reason` says why.")
    cancel_reason: str

    @staticmethod
    def resolve_cancelled(obj):
        return obj.cancelled_at is not None


class ActivityOut(Schema):
    id: UUID
    title: str
    description: str
    category: Category
    organiser: str = Field(description="The organiser's name.")
    location: str
    address: str
    postal_code: str
    municipality: str | None
    min_age: int | None
    max_age: int | None
    accessibility: str
    registration_required: bool
    capacity: int | None
    contact: str
    regular_price: str = Field(description=MONEY_HELP)
    reduced_price: str = Field(description="What a pass holder pays. " + MONEY_HELP)
    occurrences: list[OccurrenceOut] = Field(description="The coming occurrences, soonest first.")


class ActivityPage(Schema):
    count: int = Field(description="How many activities match, counted up to 1,000.")
    more_than_count: bool = Field(
        description="More activities match than `count`: the pages end at `count`; narrow "
        "the search (a date, a category, a word) to reach the others."
    )
    page: int
    pages: int
    items: list[ActivityOut]


class GuideFilters(Schema):
    network: str = Field(description=NETWORK_HELP, max_length=60)
    q: str = Field("", max_length=200, description="Words in title or description.")
    date_from: ApiDate | None = Field(
        None, alias="from", description="First day, YYYY-MM-DD (1900–2100)."
    )
    date_to: ApiDate | None = Field(
        None, alias="to", description="Last day, YYYY-MM-DD (1900–2100)."
    )
    category: Category | None = None
    free: bool | None = Field(None, description="Only activities with a regular price of 0.")
    age: int | None = Field(None, ge=0, le=120, description="Only activities for this age.")
    page: int = Field(1, ge=1, le=10_000)


class ActivityIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    regular_price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    organiser: UUID | None = Field(
        None, description="Required for a coordinator; an organiser's token adds its own."
    )
    category: Category = Category.OTHER
    fixed_reduced_price: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    location: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    postal_code: str = Field("", max_length=10)
    accessibility: str = Field("", max_length=5000)
    capacity: int | None = Field(None, ge=1, le=1_000_000)
    registration_required: bool = False
    contact: str = Field("", max_length=1000)


class CreatedActivityOut(Schema):
    id: UUID
    title: str
    organiser: UUID = Field(alias="organiser_id")
    state: str


class OccurrenceIn(Schema):
    start: ApiDateTime = Field(
        description="At most 5 years ahead and 2 years back (`vrijuit.core.dates`)."
    )
    end: ApiDateTime | None = None


def _network(slug):
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise NotFound()
    return network


def _out(activity, network):
    price = activity_price(activity, network)
    return {
        "id": activity.pk,
        "title": activity.title,
        "description": activity.description,
        "category": activity.category,
        "organiser": activity.organiser.name,
        "location": activity.location_name,
        "address": activity.address,
        "postal_code": activity.postal_code,
        "municipality": activity.municipality.name if activity.municipality else None,
        "min_age": activity.min_age,
        "max_age": activity.max_age,
        "accessibility": activity.accessibility,
        "registration_required": activity.registration_required,
        "capacity": activity.capacity,
        "contact": activity.contact,
        "regular_price": str(price.regular),
        "reduced_price": str(price.paid),
        "occurrences": activity.upcoming,
    }


def _validation_error(exc):
    return VrijuitError(
        _("Some fields are missing or not valid. Correct them and try again."),
        code=CommonError.VALIDATION_ERROR,
        errors={field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()},
    )


@activities_router.get(
    "", response=ActivityPage, auth=None, summary="The public guide: coming activities (anyone)"
)
def activity_list(request, filters: Query[GuideFilters]):
    network = _network(filters.network)
    activities = selectors.guide_search(
        network,
        q=filters.q,
        date_from=filters.date_from,
        date_to=filters.date_to,
        category=filters.category,
        free=filters.free,
        age=filters.age,
    )
    count = activities.count()
    start = (filters.page - 1) * PAGE_SIZE
    items = [_out(a, network) for a in activities[start : start + PAGE_SIZE]]
    pages = max(1, -(-count // PAGE_SIZE))
    return {
        "count": count,
        "more_than_count": activities.more,
        "page": filters.page,
        "pages": pages,
        "items": items,
    }


@activities_router.get(
    "/{activity_id}", response=ActivityOut, auth=None, summary="One published activity (anyone)"
)
def activity_detail(
    request, activity_id: UUID, network: str = Query(..., max_length=60, description=NETWORK_HELP)
):
    network = _network(network)
    activity = selectors.guide_activity_get(network, activity_id)
    if activity is None:
        raise NotFound()
    return _out(activity, network)


@activities_router.post(
    "",
    response={201: CreatedActivityOut},
    summary="Add an activity (coordinator: any organiser, published at once; organiser: own)",
    description=described(
        "Answers with the new activity's id.", CommonError.VALIDATION_ERROR, CommonError.NOT_FOUND
    ),
)
def activity_post(request, payload: ActivityIn):
    principal = request.auth
    require(principal, Perm.ACTIVITY_MANAGE)
    organiser_id = payload.organiser
    if organiser_bound(principal):
        organiser_id = organiser_id or principal.organiser_id
    elif organiser_id is None:
        raise VrijuitError(
            errors={"organiser": [_("Choose the organiser of this activity.")]},
            code=CommonError.VALIDATION_ERROR,
        )
    organiser = selectors.organiser_get(network=principal.network, pk=organiser_id)
    if organiser is None:
        raise NotFound()
    require(principal, Perm.ACTIVITY_MANAGE, organiser)
    fields = payload.dict(exclude={"organiser", "location"})
    try:
        activity = services.activity_create(
            organiser=organiser,
            published=can(principal, Perm.ACTIVITY_PUBLISH),
            location_name=payload.location,
            **fields,
        )
    except DjangoValidationError as exc:
        raise _validation_error(exc) from exc
    return Status(201, activity)


@activities_router.post(
    "/{activity_id}/occurrences",
    response={201: OccurrenceOut},
    summary="Add an occurrence (coordinator; organiser for its own activities)",
    description=described(
        "Answers with the new date.", CommonError.VALIDATION_ERROR, CommonError.NOT_FOUND
    ),
)
def occurrence_post(request, activity_id: UUID, payload: OccurrenceIn):
    principal = request.auth
    activity = selectors.activity_get(network=principal.network, pk=activity_id)
    if activity is None:
        raise NotFound()
    require(principal, Perm.ACTIVITY_MANAGE, activity)
    try:
        occurrence = services.occurrence_create(
            activity=activity, start=payload.start, end=payload.end
        )
    except DjangoValidationError as exc:
        raise _validation_error(exc) from exc
    return Status(201, occurrence)
