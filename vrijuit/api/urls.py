from ninja import NinjaAPI

from vrijuit.catalogue.api import activities_router
from vrijuit.catalogue.api import router as organisers_router
from vrijuit.checkins.api import router as checkins_router
from vrijuit.networks.api import router as network_router
from vrijuit.participants.api import router as participants_router
from vrijuit.passes.api import router as passes_router

from . import problems
from .auth import AddressRateThrottle, BearerToken, TokenRateThrottle
from .parsers import JsonObjectParser

api = NinjaAPI(
    title="Vrijuit API",
    version="1",
    description=(
        "JSON API of Vrijuit for check-in devices and integrations. Authenticate with "
        "`Authorization: Bearer <token>`; errors are RFC 9457 problem documents with a stable "
        "`code`; `Accept-Language: nl|en|fr` chooses the language of messages."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=BearerToken(),
    parser=JsonObjectParser(),
    throttle=[TokenRateThrottle(), AddressRateThrottle()],
)
problems.install(api)
api.add_router("/", network_router)
api.add_router("/organisers", organisers_router)
api.add_router("/activities", activities_router)
api.add_router("/participants", participants_router)
api.add_router("/", passes_router)
api.add_router("/", checkins_router)
