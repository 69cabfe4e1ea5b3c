from django import template

from lotse.sso import config

register = template.Library()


@register.simple_tag
def oidc_configured() -> bool:
    return config.is_configured()
