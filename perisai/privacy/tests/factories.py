from perisai.privacy import services
from perisai.privacy.choices import RequesterRelation, SubjectRequestKind

DEMO_CHILD = {
    "subject_name": "Siti Demo Rahayu",
    "subject_nik": "3672014505120001",
    "subject_address": "Jalan Kenari Demo No. 17, Masigit",
    "details": "Ibunya meminta salinan catatan tentang kejadian di rumah tetangga Demo.",
}


def subject_request(actor, **overrides):
    fields = {
        "kind": SubjectRequestKind.ACCESS,
        "requester_name": "Ibu Demo Rahayu",
        "requester_contact": "0812 0000 1111",
        "requester_relation": RequesterRelation.PARENT,
        **DEMO_CHILD,
    }
    fields.update(overrides)
    return services.subject_request_create(actor=actor, **fields)
