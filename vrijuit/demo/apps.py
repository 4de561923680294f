from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network and its year (``manage.py seed_demo``), written through every
    context's services: it sits above them all (docs/architecture.md, "Layers")."""

    name = "vrijuit.demo"
    label = "demo"
