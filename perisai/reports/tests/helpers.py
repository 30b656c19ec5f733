import uuid


def form_data(**overrides) -> dict:
    """What Bu Sri sends: urgent, touched, Jombang → Masigit, a few lines, anonymous."""
    data = {
        "token": str(uuid.uuid4()),
        "urgent": "yes",
        "harms": ["touched"],
        "narrative": "Anak perempuan tetangga menangis lagi malam ini setelah ayah tirinya pulang.",
        "kecamatan": "36.72.05",
        "kelurahan": "36.72.05.1003",
        "location_detail": "Gang dekat musala",
        "incident_period": "ongoing",
        "child_age": "9",
        "child_sex": "p",
        "reporter_anonymous": "yes",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
