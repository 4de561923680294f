from unittest import mock
from vrijuit.api import problems
from vrijuit.core.roles import Role

def test_probe(world, client):
    t = world.tokens["own", Role.COORDINATOR]
    orig = problems.on_validation_error
    def spy(request, exc):
        print(exc.errors)
        return orig(request, exc)
    from vrijuit.api.urls import api
    from ninja.errors import ValidationError
    api._exception_handlers[ValidationError] = spy
    for body in ("[1,2]", "[]", "3", '"x"', "null", '{"name": []}', '{"name": "x", "partner": "zz"}'):
        r = client.post("/api/v1/organisers", body, content_type="application/json", headers={"Authorization": f"Bearer {t}"})
        print(body, r.status_code, r.content.decode()[:300])
    api._exception_handlers[ValidationError] = orig
