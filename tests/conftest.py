from __future__ import annotations

import pytest

from lotse.accounts.models import Role
from tests.factories import CaseFactory, OrganisationFactory, TraegerFactory, UserFactory

#: The canary values of ``tests.canaries`` must appear in no log output of the whole run.
pytest_plugins = ["tests.plugins.canary"]


def pytest_collection_modifyitems(config, items):
    """The slow tests first, so that the xdist workers finish together instead of one working
    through a long test while the other idles; the tests of historical data migrations only on
    PostgreSQL (they migrate the whole schema back and forth: minutes each on SQLite, where
    production never runs).

    The order is deterministic (a stable sort), as pytest-xdist requires of every worker."""
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(
            reason="Datenmigrationen alter Stände werden auf PostgreSQL getestet (CI, 2. Lauf)"
        )
        for item in items:
            if item.get_closest_marker("migration_history"):
                item.add_marker(skip)
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    _group_for_xdist(config, items)


def _group_for_xdist(config, items):
    """``--dist loadgroup``: the ``@group`` suffix on the node id of each ``xdist_group`` test,
    by which the scheduler keeps a group on one worker. pytest-xdist 3.8 writes it to
    ``item._nodeid``, which pytest 9.2 no longer reads (its node ids are structured), so the
    groups were silently spread over the workers (pytest-xdist issue #1386; the proposed fix,
    pull request #1388, sets the structured id as done here). Does nothing where xdist's own
    suffix took effect."""
    if not getattr(config.option, "loadgroup", False):
        return
    try:
        from _pytest.nodeid import NodeId
    except ImportError:  # an older pytest: xdist's own suffix works there
        return
    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        if not names or item.nodeid.rfind("@") > item.nodeid.rfind("]"):
            continue
        item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(sorted(names))}")


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_access_log():
    """Transactional tests end with a flush; the access log only yields to maintenance mode."""
    from django.core.management.commands import flush

    from lotse.audit.maintenance import audit_maintenance

    original = flush.Command.handle

    def handle(self, *args, **options):
        with audit_maintenance(options.get("database", "default")):
            return original(self, *args, **options)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture(autouse=True, scope="session")
def _field_keys(tmp_path_factory):
    """A fresh key file for the field-level encryption per test session (never committed)."""
    from django.conf import settings

    from lotse.core import fieldcrypto

    path = tmp_path_factory.mktemp("field-keys") / "field-keys.json"
    fieldcrypto.write_key_file(fieldcrypto.new_keyring(path))
    settings.LOTSE_FIELD_KEYS_FILE = str(path)
    yield path


@pytest.fixture(autouse=True, scope="session")
def _audit_signing_key(tmp_path_factory):
    """A fresh signing key for the access-log checkpoints per test session (never committed)."""
    from django.conf import settings

    from lotse.audit.signing import create_signing_key_file

    path = tmp_path_factory.mktemp("audit-key") / "audit-signing-key.json"
    create_signing_key_file(path)
    settings.LOTSE_AUDIT_SIGNING_KEY_FILE = str(path)
    yield path


@pytest.fixture(autouse=True)
def _audit_checkpoint_file(settings, tmp_path):
    """Checkpoints pin one test's database, so each test has its own checkpoint file."""
    settings.LOTSE_AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")


@pytest.fixture(autouse=True, scope="session")
def _force_login_includes_the_second_factor():
    """``client.force_login`` = password and second factor (see tests/auth.py)."""
    from tests import auth

    auth.install()
    yield
    auth.uninstall()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def traeger(db):
    return TraegerFactory(slug="kreis-test", name="Kreis Test")


@pytest.fixture
def organisation(traeger):
    return OrganisationFactory(traeger=traeger, key="servicestelle", name="Servicestelle")


@pytest.fixture
def case_manager(traeger, organisation):
    return UserFactory(
        username="cm", traeger=traeger, organisation=organisation, roles=[Role.CASE_MANAGEMENT]
    )


@pytest.fixture
def team_lead(traeger, organisation):
    return UserFactory(
        username="tl", traeger=traeger, organisation=organisation, roles=[Role.TEAM_LEAD]
    )


@pytest.fixture
def case(traeger, organisation, case_manager):
    return CaseFactory(traeger=traeger, organisation=organisation, case_manager=case_manager)
