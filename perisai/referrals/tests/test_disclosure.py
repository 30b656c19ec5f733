"""Acceptance point: no field left unticked reaches the partner through any page, export, API or email.

The partner's pages are rendered from the snapshot; this test searches every response a partner can get and
every notice and e-mail sent to them for the child's identifying details. (There is no referral API or export
for partners; the API app serves no referral data.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from perisai.accounts.choices import Role
from perisai.cases import services as case_services
from perisai.core.models import Notification
from perisai.core.services import attachment_store
from perisai.core.tasks import send_notification_email
from perisai.core.tests.uploads import pdf, real_pdf
from perisai.referrals import services
from perisai.referrals.choices import SharedItem
from perisai.referrals.tests.helpers import (
    SECRET_ADDRESS,
    SECRET_CHRONOLOGY,
    SECRET_GUARDIAN,
    SECRET_NAME,
    SECRET_NIK,
    case_with_secrets,
    refer,
)

pytestmark = pytest.mark.django_db

SECRETS = {
    SharedItem.FULL_NAME: [SECRET_NAME, "Rahmawati"],
    SharedItem.BIRTH_DATE: [SECRET_NIK],
    SharedItem.ADDRESS: [SECRET_ADDRESS, "Kenari"],
    SharedItem.GUARDIAN: [SECRET_GUARDIAN, "Wiryono"],
    SharedItem.CHRONOLOGY: [SECRET_CHRONOLOGY, "paman"],
}


def everything_the_partner_can_read(partner, referral, mailoutbox) -> str:
    client = Client()
    client.force_login(partner)
    pages = [
        reverse("portal:staff_home"),
        reverse("portal:notifications"),
        reverse("referrals:list"),
        reverse("referrals:detail", args=[referral.public_id]),
        reverse("meetings:list"),
        reverse("cases:detail", args=[referral.case.public_id]),  # 404 for partners: still searched
        reverse("cases:list"),
        "/api/",
    ]
    texts = [client.get(url).content.decode(errors="replace") for url in pages]
    for notice in Notification.objects.filter(user=partner):
        send_notification_email.call(notice.pk)
    texts += [f"{message.subject}\n{message.body}" for message in mailoutbox]
    texts += list(Notification.objects.filter(user=partner).values_list("message", flat=True))
    return "\n".join(texts)


class MinimumDisclosureTests:
    def test_nothing_unticked_reaches_the_partner(self, make_user, police_agency, mailoutbox):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        case = case_with_secrets(make_user, manager)
        document = attachment_store(actor=manager, owner=case, uploaded_file=pdf("visum-siti.pdf"))
        referral = refer(manager, case, police_agency)
        services.referral_answer(actor=manager, referral=referral, body="Jadwal visum besok pukul 09.00.")
        seen = everything_the_partner_can_read(police, referral, mailoutbox)
        assert case.registration_number in seen and "S. R. Z." in seen  # the minimum is there
        assert "Jadwal visum besok" in seen  # and the update the manager chose to share
        for item, secrets in SECRETS.items():
            for secret in secrets:
                assert secret not in seen, (item, secret)
        assert str(document.public_id) not in seen
        client = Client()
        client.force_login(police)
        url = reverse("referrals:document", args=[referral.public_id, document.public_id])
        assert client.get(url).status_code == 404
        assert client.get(reverse("core:attachment_download", args=[document.public_id])).status_code == 404

    @pytest.mark.parametrize("item", list(SECRETS))
    def test_each_ticked_item_reaches_the_partner_and_nothing_else(self, make_user, police_agency, mailoutbox, item):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        case = case_with_secrets(make_user, manager)
        referral = refer(manager, case, police_agency, items=[item])
        seen = everything_the_partner_can_read(police, referral, mailoutbox)
        assert SECRETS[item][0] in seen
        for other, secrets in SECRETS.items():
            if other != item:
                for secret in secrets:
                    assert secret not in seen, (item, other, secret)

    def test_only_the_ticked_documents_can_be_downloaded(self, make_user, police_agency):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        case = case_with_secrets(make_user, manager)
        shared = attachment_store(actor=manager, owner=case, uploaded_file=pdf("surat-rujukan.pdf"))
        body = real_pdf(pages=2)  # different pages: not deduplicated
        private = attachment_store(
            actor=manager, owner=case, uploaded_file=SimpleUploadedFile("bap.pdf", body, content_type="application/pdf")
        )
        assert private.pk != shared.pk
        referral = refer(
            manager, case, police_agency, items=[SharedItem.DOCUMENTS], document_ids=[str(shared.public_id)]
        )
        client = Client()
        client.force_login(police)
        ok = client.get(reverse("referrals:document", args=[referral.public_id, shared.public_id]))
        assert ok.status_code == 200 and ok.content.startswith(b"%PDF")
        assert (
            client.get(reverse("referrals:document", args=[referral.public_id, private.public_id])).status_code == 404
        )

    def test_later_changes_to_the_case_do_not_reach_the_partner(self, make_user, police_agency, mailoutbox):
        manager, police = make_user(Role.CASE_MANAGER), make_user(Role.PARTNER_STAFF)
        case = case_with_secrets(make_user, manager)
        referral = refer(manager, case, police_agency, items=[SharedItem.ADDRESS])
        case.refresh_from_db()  # the referral recorded its sharing basis on the case (a new version)
        victim = case.victims.get()
        case_services.victim_save(actor=manager, case=case, version=case.version, victim=victim, address="Rumah aman X")
        seen = everything_the_partner_can_read(police, referral, mailoutbox)
        assert SECRET_ADDRESS in seen and "Rumah aman X" not in seen  # as of the moment of sharing
