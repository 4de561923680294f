import json

from ninja.parser import Parser


class JsonObjectParser(Parser):
    """Request bodies are JSON objects without NUL characters.

    ninja's schemas read fields as attributes, so a JSON array or a bare value would
    otherwise pass as an object whose fields are all missing (a 422 instead of a 400).
    PostgreSQL cannot store a NUL character in text, so ``"\\u0000"`` would end in a 500.
    """

    def parse_body(self, request):
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("The request body is not a JSON object.")
        if _has_nul(data):
            raise ValueError("The request body contains a NUL character.")
        return data


def _has_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False
