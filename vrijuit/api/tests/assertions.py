"""Checks shared by the API tests and the permission matrix."""

PROBLEM_KEYS = {"type", "title", "status", "detail", "code"}


def assert_problem(response, status, code):
    """``response`` is an RFC 9457 problem with this status and stable code; returns its body."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS, body
    assert (body["status"], body["code"]) == (status, code), body
    assert body["type"].endswith(f"/{code}")
    assert body["detail"].strip()
    return body
