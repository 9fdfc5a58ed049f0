"""Which patient's group each entry of a multi-patient bundle joins."""

from __future__ import annotations

from carebridge.records.importing.bundles import Item, group_items


def item(position: int, resource: dict, full_url: str = "") -> Item:
    return Item(source="two.json", position=str(position), resource=resource, full_url=full_url)


def actor(reference: str) -> dict:
    return {"actor": {"reference": reference}, "status": "accepted"}


def test_an_appointment_joins_the_patient_among_its_participants():
    ann = item(0, {"resourceType": "Patient", "id": "ann"}, "urn:uuid:ann")
    bob = item(1, {"resourceType": "Patient", "id": "bob"}, "urn:uuid:bob")
    anns_visit = item(
        2,
        {
            "resourceType": "Appointment",
            "status": "booked",
            "participant": [actor("Practitioner/dr-chen"), actor("urn:uuid:ann")],
        },
    )
    bobs_visit = item(
        3,
        {
            "resourceType": "Appointment",
            "status": "booked",
            "participant": [actor("Location/main"), actor("Patient/bob")],
        },
    )
    groups = group_items([ann, bob, anns_visit, bobs_visit])
    assert [[i.position for i in g.items] for g in groups] == [["0", "2"], ["1", "3"]]


def test_an_appointment_naming_an_absent_patient_waits_for_that_patient():
    ann = item(0, {"resourceType": "Patient", "id": "ann"}, "urn:uuid:ann")
    bob = item(1, {"resourceType": "Patient", "id": "bob"}, "urn:uuid:bob")
    other = item(2, {"resourceType": "Appointment", "participant": [actor("Patient/cy")]})
    groups = group_items([ann, bob, other])
    assert [(g.patient_reference, [i.position for i in g.items]) for g in groups] == [
        ("", ["0"]),
        ("", ["1"]),
        ("Patient/cy", ["2"]),
    ]


def test_a_shared_resource_naming_patients_comes_after_them():
    ann = item(0, {"resourceType": "Patient", "id": "ann"}, "urn:uuid:ann")
    bob = item(1, {"resourceType": "Patient", "id": "bob"}, "urn:uuid:bob")
    members = [{"entity": {"reference": "urn:uuid:ann"}}, {"entity": {"reference": "Patient/bob"}}]
    cohort = item(2, {"resourceType": "Group", "type": "person", "member": members})
    place = item(3, {"resourceType": "Location", "id": "main"})
    empty = item(4, {"resourceType": "Group", "type": "person", "actual": False})
    groups = group_items([cohort, ann, place, bob, empty])
    assert [[i.position for i in g.items] for g in groups] == [["3", "4"], ["0"], ["1"], ["2"]]
