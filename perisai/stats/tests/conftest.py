import io

import pytest
from django.core.management import call_command

from perisai.accounts.models import User


@pytest.fixture
def demo(db):
    """The demo data: 40 child victims from January to September 2023 (perisai/cases/demo.py), and its
    accounts by role (the demo's home office is the only one, so tests use its people)."""
    call_command("seed_demo", stdout=io.StringIO())
    return {
        "analyst": User.objects.get(email="analis@perisai.test"),
        "supervisor": User.objects.get(email="kepala@perisai.test"),
        "manager": User.objects.get(email="pendamping@perisai.test"),
        "officer": User.objects.get(email="petugas@perisai.test"),
    }
