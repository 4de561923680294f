from django import template

from vrijuit.core.money import format_eur

register = template.Library()


@register.filter
def eur(value):
    """``{{ amount|eur }}`` → ``€ 2,40``."""
    return format_eur(value)
