"""What a partner may read: built once, when the referral is sent, from the items the case manager ticked.

The partner's pages render this snapshot and nothing else, so an unticked item cannot reach them through any
page (UU PDP 27/2022 Pasal 16, purpose limitation; UU SPPA 11/2012 Pasal 19, the child's identity is secret).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from perisai.referrals.choices import SharedItem


def initials(name: str) -> str:
    """'Siti Aminah' -> 'S. A.'; a single name gives one letter; no name gives '-'."""
    letters = [word[0].upper() for word in name.replace(".", " ").split() if word[:1].isalpha()]
    return " ".join(f"{letter}." for letter in letters) or "-"


def build_snapshot(*, case, victim, items: Iterable[str], documents: Iterable = ()) -> dict:
    items = set(items)
    victims = [victim] if victim is not None else list(case.victims.select_related("kelurahan"))
    at = case.incident_date or timezone.localdate()
    children = []
    for child in victims:
        shared = {
            "initials": initials(child.name),
            "age": child.age_at(at),
            "sex": child.sex,
            "violence_types": list(child.violence_types or []),
        }
        if SharedItem.FULL_NAME in items:
            shared["name"] = child.name
        if SharedItem.BIRTH_DATE in items:
            shared["birth_date"] = child.birth_date.isoformat() if child.birth_date else ""
            shared["nik"] = child.nik
        if SharedItem.ADDRESS in items:
            shared["address"] = child.address
            shared["kelurahan"] = child.kelurahan.name if child.kelurahan else ""
        if SharedItem.GUARDIAN in items:
            shared["guardian"] = child.guardian
        children.append(shared)
    snapshot = {
        "registration_number": case.registration_number,
        "kecamatan": case.kecamatan.name if case.kecamatan else "",
        "children": children,
    }
    if SharedItem.CHRONOLOGY in items:
        snapshot["chronology"] = case.chronology
    if SharedItem.DOCUMENTS in items:
        snapshot["documents"] = [
            {"id": str(document.public_id), "name": document.download_name, "type": document.content_type}
            for document in documents
        ]
    return snapshot


def shared_document_ids(snapshot: dict) -> set[str]:
    return {document["id"] for document in snapshot.get("documents", [])}
