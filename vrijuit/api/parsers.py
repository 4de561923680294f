import json

from ninja.parser import Parser


class JsonObjectParser(Parser):
    """Request bodies are JSON objects.

    ninja's schemas read fields as attributes, so a JSON array or a bare value would
    otherwise pass as an object whose fields are all missing (a 422 instead of a 400).
    """

    def parse_body(self, request):
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("The request body is not a JSON object.")
        return data
