"""A "replica" database alias for one test (perisai.core.replica), set up at run time.

By default it is a second connection to the test database itself, which sees what the test committed: use it in
transactional tests (`django_db(transaction=True)`), since a test's own transaction keeps reads on the primary
anyway. `overrides` point it elsewhere: a closed port, or a real standby (tests/deploy/test_replica.py).

The test declares the replica by using this helper, not in `django_db(databases=...)`, which wants the alias to
exist when the test starts. The connection's own name is "replica (test)": Django's guard against connections to
databases a test did not declare checks that name against the configured ones, and lets it through. The alias is gone
again before the test's teardown: use the helper inside the test or in a fixture that depends on the database
fixture."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from perisai.core import replica


@contextmanager
def replica_alias(**overrides) -> Iterator[BaseDatabaseWrapper]:
    if replica.configured():
        raise RuntimeError("a replica is configured already (PERISAI_REPLICA_DATABASE_URL): unset it for the tests")
    settings_dict = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    settings_dict.update(overrides)
    connections.settings[replica.REPLICA] = settings_dict
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, f"{replica.REPLICA} (test)")
    connections[replica.REPLICA] = wrapper
    replica.forget_down()
    try:
        yield wrapper
    finally:
        try:
            wrapper.close()
        finally:
            del connections[replica.REPLICA]
            del connections.settings[replica.REPLICA]
            replica.forget_down()
