"""The permission matrix for every page that is not owned by a domain app."""

import pytest
from django.urls import reverse

from perisai.accounts.testing import EVERY_SIGNED_IN, assert_access, matrix_users
from perisai.core.models import ProcessHeartbeat
from perisai.core.worker import heartbeat_beat

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(make_user):
    return matrix_users(make_user)


class CorePageAccessTests:
    def test_landing_page_is_open_to_everyone(self, users):
        assert_access(reverse("core:landing"), users=users, allowed=EVERY_SIGNED_IN, public=True)

    def test_health_probe_is_open_to_everyone(self, users):
        for kind in (ProcessHeartbeat.Kind.WORKER, ProcessHeartbeat.Kind.SCHEDULER):
            heartbeat_beat(kind=kind, ident=kind)
        assert_access(reverse("core:healthz"), users=users, allowed=EVERY_SIGNED_IN, public=True)

    def test_staff_home_is_for_every_signed_in_account(self, users):
        assert_access(reverse("portal:staff_home"), users=users, allowed=EVERY_SIGNED_IN)

    def test_ending_all_sessions_is_for_every_signed_in_account(self, users):
        assert_access(
            reverse("accounts:end_sessions"), users=users, allowed=EVERY_SIGNED_IN, method="post", ok_status={302}
        )
