from uuid import UUID

from ninja import Field, Router, Schema
from ninja.responses import Status

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from vrijuit.core.exceptions import NotFound, VrijuitError
from vrijuit.core.permissions import require
from vrijuit.core.roles import Perm
from vrijuit.networks.models import Partner

from . import selectors
from .services import organiser_create

router = Router(tags=["organisers"])


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
                code="validation_error",
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
            code="validation_error",
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
    if not (principal.role == "organiser" and principal.organiser_id == organiser.pk):
        require(principal, Perm.ORGANISER_VIEW, organiser)
    return organiser
