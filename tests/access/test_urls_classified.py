"""Every URL of the project must be classified in ``endpoints.ENDPOINTS``."""

from __future__ import annotations

from tests.access.endpoints import ENDPOINTS, project_routes, walk


def test_every_url_is_classified():
    routes = project_routes()
    unnamed = [route.route for route in routes if not route.name]
    unknown = sorted({route.name for route in routes if route.name} - set(ENDPOINTS))

    assert not unnamed, f"URL patterns without a name cannot be classified: {unnamed}"
    assert not unknown, (
        f"New URLs {unknown}: add them to tests/access/endpoints.py (ENDPOINTS) and to the "
        "permission matrix in tests/access/test_permission_matrix.py."
    )


def test_no_stale_classifications():
    names = {route.name for route in project_routes()} | {"api:schema"}
    assert set(ENDPOINTS) <= names, f"Classified but gone: {sorted(set(ENDPOINTS) - names)}"


def test_the_walk_sees_nested_namespaces_and_new_patterns():
    from django.http import HttpResponse
    from django.urls import include, path

    def view(request):
        return HttpResponse()

    inner = ([path("neu/", view, name="brand_new")], "reports")
    routes = walk([path("berichte/", include(inner)), path("x/", view)])

    assert [(route.name, route.route) for route in routes] == [
        ("reports:brand_new", "berichte/neu/"),
        (None, "x/"),
    ]
    assert "reports:brand_new" not in ENDPOINTS
