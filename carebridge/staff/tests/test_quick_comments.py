"""The clinic's quick comments: clinic administrators add, change, remove and reorder them, each
change audited before and after; another clinic's comment is a 404; others get the console's
404; bad words are refused plainly with nothing written."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.audit.models import AuditEvent
from carebridge.records.models import QuickComment
from carebridge.staff.comment_forms import QuickCommentForm
from carebridge.staff.tests.test_release_views import glucose, hold_labs
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast
from carebridge.testing.records import store

pytestmark = pytest.mark.django_db

PAGE = reverse("staff:setup-quick-comments")


@pytest.fixture
def admin(cast: Cast) -> Client:
    return client_for(cast.clinic_admin)


def listed(cast: Cast) -> list[tuple[str, int]]:
    return list(QuickComment.objects.filter(clinic=cast.clinic).values_list("text", "position"))


def events() -> list[tuple[str, str, dict[str, Any]]]:
    rows = AuditEvent.objects.filter(object_type="quick_comment").order_by("sequence")
    return [(event.action, event.object_id, event.changes) for event in rows]


def make(cast: Cast, *texts: str) -> list[QuickComment]:
    return [
        QuickComment.objects.create(clinic=cast.clinic, text=text, position=number)
        for number, text in enumerate(texts)
    ]


def test_a_new_clinic_has_none_and_the_page_says_what_they_are(admin):
    html = admin.get(PAGE).content.decode()
    assert (
        "Your clinic has no quick comments yet, so clinicians write each comment themselves. "
        "Add the ones your clinicians use most." in html
    )
    assert "A clinician releasing a test result may add a comment for the patient." in html


def test_adding_one(cast, admin):
    response = admin.post(PAGE, {"action": "add", "text": "  Normal, no action needed. "})
    assert response["Location"] == PAGE
    assert flashed(response) == ["Saved the quick comment."]
    (quick,) = QuickComment.objects.all()
    assert listed(cast) == [("Normal, no action needed.", 0)]
    assert events() == [
        (
            "create",
            str(quick.pk),
            {
                "position": {"before": None, "after": 0},
                "text": {"before": None, "after": "Normal, no action needed."},
            },
        )
    ]
    event = AuditEvent.objects.get(object_type="quick_comment")
    assert (event.actor, event.patient, event.acting_as) == (cast.clinic_admin, None, "staff")


def test_a_second_one_goes_at_the_end(cast, admin):
    make(cast, "First")
    admin.post(PAGE, {"action": "add", "text": "Second"})
    assert listed(cast) == [("First", 0), ("Second", 1)]


def test_changing_one(cast, admin):
    (quick,) = make(cast, "Normal")
    data = {"action": "save", "comment": quick.pk, f"quick-{quick.pk}-text": "Normal, all fine."}
    assert admin.post(PAGE, data)["Location"] == PAGE
    assert listed(cast) == [("Normal, all fine.", 0)]
    assert events() == [
        ("update", str(quick.pk), {"text": {"before": "Normal", "after": "Normal, all fine."}})
    ]


def test_removing_one(cast, admin):
    quick, _other = make(cast, "Normal", "Other")
    response = admin.post(PAGE, {"action": "remove", "comment": quick.pk})
    assert flashed(response) == ["Removed the quick comment."]
    assert listed(cast) == [("Other", 1)]
    assert events() == [
        (
            "delete",
            str(quick.pk),
            {"position": {"before": 0, "after": None}, "text": {"before": "Normal", "after": None}},
        )
    ]


def test_moving_one_down_and_up(cast, admin):
    first, second, third = make(cast, "A", "B", "C")
    admin.post(PAGE, {"action": "down", "comment": first.pk})
    assert [text for text, _ in listed(cast)] == ["B", "A", "C"]
    assert events() == [
        ("update", str(second.pk), {"position": {"before": 1, "after": 0}}),
        ("update", str(first.pk), {"position": {"before": 0, "after": 1}}),
    ]
    admin.post(PAGE, {"action": "up", "comment": third.pk})
    assert [text for text, _ in listed(cast)] == ["B", "C", "A"]


def test_moving_the_first_up_changes_nothing(cast, admin):
    first, _second = make(cast, "A", "B")
    admin.post(PAGE, {"action": "up", "comment": first.pk})
    assert listed(cast) == [("A", 0), ("B", 1)]
    assert events() == []


def test_the_release_page_offers_them_in_order(cast, admin):
    first, second = make(cast, "A", "B")
    admin.post(PAGE, {"action": "down", "comment": first.pk})
    hold_labs(cast.clinic)
    (row,) = store(cast.patient, glucose(cast.patient))
    html = client_for(cast.clinician).get(reverse("staff:held-result", args=[row.pk]))
    choices = re.findall(r'name="choice" value="([^"]+)"', html.content.decode())
    assert choices == ["none", f"quick-{second.pk}", f"quick-{first.pk}", "own"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("   ", "Write the comment."),
        ("", "Write the comment."),
        ("x" * 1001, "Keep the comment to 1000 characters or fewer."),
    ],
)
def test_bad_words_are_refused_with_nothing_written(cast, admin, text, error):
    (quick,) = make(cast, "Normal")
    added = admin.post(PAGE, {"action": "add", "text": text})
    changed = admin.post(
        PAGE, {"action": "save", "comment": quick.pk, f"quick-{quick.pk}-text": text}
    )
    for response in (added, changed):
        assert response.status_code == 400
        assert error in response.content.decode()
    assert listed(cast) == [("Normal", 0)]
    assert events() == []


def test_a_full_list_takes_no_more(cast, admin):
    make(cast, *(f"Comment {n}" for n in range(20)))
    response = admin.post(PAGE, {"action": "add", "text": "One more"})
    assert response.status_code == 400
    assert "The list is full: remove a quick comment before adding another." in (
        response.content.decode()
    )
    assert QuickComment.objects.count() == 20


@pytest.mark.parametrize("action", ["save", "remove", "up", "down"])
def test_another_clinics_comment_is_404_and_untouched(cast, admin, action):
    theirs = QuickComment.objects.create(clinic=cast.other_clinic, text="Theirs", position=0)
    data = {"action": action, "comment": theirs.pk, f"quick-{theirs.pk}-text": "Ours now"}
    assert admin.post(PAGE, data).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.text, theirs.position) == ("Theirs", 0)
    assert events() == []


def test_an_unknown_action_is_404(admin):
    assert admin.post(PAGE, {"action": "explode"}).status_code == 404


@pytest.mark.parametrize("persona", ["clinician", "nurse", "front_desk", "billing", "patient_user"])
def test_people_who_do_not_run_the_clinic_get_404_and_change_nothing(cast, persona):
    client = client_for(getattr(cast, persona))
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"action": "add", "text": "Hello"}).status_code == 404
    assert QuickComment.objects.count() == 0
    assert events() == []


def test_another_clinics_admin_sees_only_her_own(cast):
    make(cast, "Ours")
    html = client_for(cast.other_clinic_admin).get(PAGE).content.decode()
    assert "Ours" not in html
    assert "Your clinic has no quick comments yet" in html


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=1100))
def test_the_form_accepts_exactly_1_to_1000_characters_stripped(text: str) -> None:
    form = QuickCommentForm({"text": text})
    stripped = text.strip()
    expected = "\x00" not in text and 0 < len(stripped) <= 1000
    assert form.is_valid() == expected
    if expected:
        assert form.cleaned_data["text"] == stripped


def test_each_box_is_labelled_by_its_place_and_the_settings_page_links_here(cast, admin):
    first, second = make(cast, "A", "B")
    html = admin.get(PAGE).content.decode()
    labels = re.findall(r'<label for="id_quick-(\d+)-text">([^<]+)</label>', html)
    assert labels == [(str(first.pk), "Quick comment 1"), (str(second.pk), "Quick comment 2")]
    settings_page = admin.get(reverse("staff:release-settings")).content.decode()
    assert (
        f'<a href="{PAGE}">Quick comments clinicians can pick when they release a result</a>'
        in (settings_page)
    )
