from datetime import date

from ninja import Field, Router, Schema

from django.utils import timezone

from vrijuit.core.permissions import require
from vrijuit.core.roles import Perm

from .validity import default_valid_until

router = Router(tags=["network"])


class NetworkOut(Schema):
    id: str
    slug: str
    name: str
    contact_name: str
    contact_email: str
    contact_phone: str


class StatusRulesOut(Schema):
    validity: str = Field(description="`end_of_year` or `months`.")
    validity_months: int = Field(description="The number of months, with `months`.")
    late_grant_months: int = Field(
        description="With `end_of_year`: a status given in the last N months of the year runs "
        "until the end of the next year (0: never)."
    )
    grace_days: int
    desk_may_grant: bool
    default_valid_until: date = Field(
        description="The end date a status given today gets when none is chosen."
    )


class WhoAmIOut(Schema):
    network: NetworkOut
    status_rules: StatusRulesOut
    role: str
    organiser: str | None = None
    token_name: str


@router.get("/me", response=WhoAmIOut, summary="The network and role of this token")
def me(request):
    principal = request.auth
    require(principal, Perm.NETWORK_VIEW)
    network = principal.network
    return {
        "network": {
            "id": str(network.pk),
            "slug": network.slug,
            "name": network.name,
            "contact_name": network.contact_name,
            "contact_email": network.contact_email,
            "contact_phone": network.contact_phone,
        },
        "status_rules": {
            "validity": network.status_validity,
            "validity_months": network.status_validity_months,
            "late_grant_months": network.status_late_grant_months,
            "grace_days": network.grace_days,
            "desk_may_grant": network.desk_may_grant_status,
            "default_valid_until": default_valid_until(network, timezone.localdate()),
        },
        "role": principal.role,
        "organiser": str(principal.organiser_id) if principal.organiser_id else None,
        "token_name": principal.token.name,
    }
