from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sso.idp import CLIENT_ID, CLIENT_SECRET, FakeProvider


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeProvider]:
    running = FakeProvider().start()
    yield running
    running.stop()


@pytest.fixture
def oidc(settings, provider: FakeProvider) -> FakeProvider:
    """Lotse configured for the fake provider by issuer only (endpoints from discovery)."""
    settings.LOTSE_OIDC_ISSUER = provider.issuer
    settings.LOTSE_OIDC_CLIENT_ID = CLIENT_ID
    settings.LOTSE_OIDC_CLIENT_SECRET = CLIENT_SECRET
    provider.grants.clear()
    provider.token_requests.clear()
    return provider
