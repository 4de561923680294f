from ninja import Router, Schema

from vrijuit.core.permissions import require
from vrijuit.core.roles import Perm

router = Router(tags=["network"])


class NetworkOut(Schema):
    id: str
    slug: str
    name: str
    contact_name: str
    contact_email: str
    contact_phone: str


class WhoAmIOut(Schema):
    network: NetworkOut
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
        "role": principal.role,
        "organiser": str(principal.organiser_id) if principal.organiser_id else None,
        "token_name": principal.token.name,
    }
