from django import template

from lotse.sso import config

register = template.Library()


@register.simple_tag
def oidc_configured() -> bool:
    return config.is_configured()


@register.simple_tag(takes_context=True)
def oidc_reauth_available(context: template.Context) -> bool:
    """The signed-in user can confirm the sign-in at the identity provider."""
    from lotse.sso.reauth import has_identity

    request = context.get("request")
    return request is not None and has_identity(getattr(request, "user", None))
