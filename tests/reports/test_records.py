"""Record templates and records: versions, review and save, visibility, list, search, exports."""

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from assistant.models import Role
from reports import records_services as services
from reports.records_models import Record, RecordChange, TemplateVersion

pytestmark = pytest.mark.django_db
TICKET_TEXT = (
    "Ticket reported today. Problem: the VPN drops every hour. Category network. "
    "Priority high. Needed by Friday."
)


@pytest.fixture
def ticket(world):
    return services.template_from_starter(
        team=world.team, user=world.owner, starter="support-ticket"
    )


def _fill(template, user, text=TICKET_TEXT):
    return services.record_from_text(
        template=template, user=user, text=text, recorded_on=dt.date(2026, 11, 25)
    )


def _form(record, **changes):
    """The review form as the browser posts it, with the filled values and some changes."""
    from reports.records_forms import form_initial

    data = {f"f-{k}": v for k, v in form_initial(record.version, record.values).items()}
    data.update({f"f-{k}": v for k, v in changes.items()})
    return data


def test_starters_make_versioned_templates_and_records_keep_their_version(world, ticket):
    record = _fill(ticket, world.teammate)
    assert ticket.current.number == 1 and record.version.number == 1
    fields = [*ticket.current.fields, {"label": "Asset tag", "type": "text"}]
    version = services.template_update(
        template=ticket,
        user=world.owner,
        name=ticket.name,
        fields=fields,
        visible_to=["manager"],
        use_model=False,
    )
    assert version.number == 2 and version.field("asset_tag")["type"] == "text"
    record.refresh_from_db()
    assert record.version.number == 1
    assert _fill(ticket, world.teammate).version.number == 2


def test_saving_unchanged_fields_makes_no_new_version(world, ticket):
    same = services.template_update(
        template=ticket,
        user=world.owner,
        name="Tickets",
        fields=ticket.current.fields,
        visible_to=[],
        use_model=True,
    )
    assert same.number == 1 and TemplateVersion.objects.count() == 1
    ticket.refresh_from_db()
    assert ticket.name == "Tickets" and ticket.use_model


@pytest.mark.parametrize(
    "fields, message",
    [
        ([], "at least one field"),
        ([{"label": "", "type": "text"}], "needs a name"),
        ([{"label": "A", "type": "text"}, {"label": "a", "type": "number"}], "Two fields"),
        ([{"label": "Colour", "type": "colour"}], "no type"),
        ([{"label": "Size", "type": "choice", "options": ["big"]}], "at least two options"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_stored(world, fields, message):
    with pytest.raises(services.RecordError, match=message):
        services.template_create(team=world.team, user=world.owner, name="T", fields=fields)
    assert not world.team.record_templates.exists()


def test_pasted_text_is_filled_at_once(world, ticket):
    record = _fill(ticket, world.teammate)
    assert record.status == Record.Status.REVIEW
    assert record.values["priority"] == "high" and record.values["due"] == "2026-11-27"
    assert record.filled["fields"]["priority"]["source"]["quote"] == "high"
    assert "resolved" in record.filled["missing"]


def test_required_fields_are_enforced_on_save(world, ticket):
    record = _fill(ticket, world.teammate, "Category network. The VPN drops.")
    with pytest.raises(services.RecordError, match="Reported on, Problem, Priority"):
        services.record_save(record=record, user=world.teammate, values=record.values)
    record.refresh_from_db()
    assert record.status == Record.Status.REVIEW and not record.changes.exists()


def test_the_review_page_shows_sources_and_flags(world, ticket, client_for):
    record = _fill(ticket, world.teammate)
    page = client_for(world.teammate).get(reverse("record-detail", args=[record.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    start = record.filled["fields"]["priority"]["source"]["start"]
    assert f'data-source-start="{start}"' in html
    assert "data-record-transcript" in html and "the VPN drops every hour" in html
    assert 'id="field-resolved"' in html and "Not said" in html


def test_a_value_from_the_second_hearing_links_into_that_hearings_text(world, ticket, client_for):
    from reports.fill import fill_from_hearings

    record = _fill(ticket, world.teammate, "Category, prism. Priority high.")
    second = "Category printer. Priority high."
    filled = fill_from_hearings([record.transcript, second], ticket.current.fields,
                                recorded_on=record.recorded_on)
    filled["model"] = "Whisper base"
    filled["hearings"] = [{"model": "Whisper tiny.en", "text": second, "segments": []}]
    Record.objects.filter(pk=record.pk).update(filled=filled)
    page = client_for(world.teammate).get(reverse("record-detail", args=[record.pk]))
    html = page.content.decode()
    source = filled["fields"]["category"]["source"]
    assert source["hearing"] == 1
    assert f'data-source-start="{source["start"]}"' in html and 'data-source-hearing="1"' in html
    assert 'data-record-transcript="1"' in html and "Heard by Whisper base" in html
    assert "Second hearing, by Whisper tiny.en · 1 field filled from it" in html
    assert "From the second hearing: “printer”" in html


def test_correct_and_save_keeps_who_changed_what(world, ticket, client_for):
    record = _fill(ticket, world.teammate)
    client = client_for(world.teammate)
    url = reverse("record-detail", args=[record.pk])
    response = client.post(url, _form(record, priority="urgent", resolved="no"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == Record.Status.SAVED
    assert record.values["priority"] == "urgent" and record.values["resolved"] is False
    saved = record.changes.get()
    assert saved.what == "saved" and saved.user == world.teammate
    assert saved.changes["priority"] == ["high", "urgent"]
    client.post(url, _form(record, category="hardware"))
    edit = RecordChange.objects.filter(record=record, what="edited").get()
    assert edit.changes == {"category": ["network", "hardware"]}


def test_a_missing_required_field_answers_400_and_saves_nothing(world, ticket, client_for):
    record = _fill(ticket, world.teammate)
    response = client_for(world.teammate).post(
        reverse("record-detail", args=[record.pk]), _form(record, priority="")
    )
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    record.refresh_from_db()
    assert record.status == Record.Status.REVIEW


def test_records_are_seen_by_their_author_and_the_roles_the_template_names(
    world, ticket, client_for
):
    record = _fill(ticket, world.teammate)
    url = reverse("record-detail", args=[record.pk])
    # not saved yet: only the author
    assert client_for(world.manager).get(url).status_code == 404
    services.record_save(
        record=record, user=world.teammate, values=record.values | {"reported_on": "2026-11-25"}
    )
    assert client_for(world.manager).get(url).status_code == 200  # starters name managers
    other = MembershipRecordsHelper.employee(world)
    assert client_for(other).get(url).status_code == 404
    ticket.visible_to = [Role.EMPLOYEE]
    ticket.save()
    assert client_for(other).get(url).status_code == 200
    assert client_for(world.stranger).get(url).status_code == 404


class MembershipRecordsHelper:
    @staticmethod
    def employee(world):
        from tests.factories import MembershipFactory

        return MembershipFactory(team=world.team, role=Role.EMPLOYEE).user


def _saved(world, ticket, text, author=None):
    record = _fill(ticket, author or world.teammate, text)
    return services.record_save(record=record, user=record.author, values=record.values)


def test_list_search_and_exports(world, ticket, client_for):
    _saved(world, ticket, TICKET_TEXT)
    _saved(
        world,
        ticket,
        "Reported today. Problem: the =SUM(A1) printer is jammed. Priority low. Category printer.",
    )
    client = client_for(world.teammate)
    page = client.get(reverse("record-list"), {"q": "printer"}).content.decode()
    assert "printer is jammed" in page and "VPN" not in page
    csv_body = client.get(reverse("record-export", args=[ticket.pk, "csv"])).content.decode()
    rows = list(csv.DictReader(io.StringIO(csv_body)))
    assert [r["priority"] for r in rows] == ["high", "low"]
    assert rows[1]["summary"].startswith("the =SUM")  # not at a cell's start: left as said
    data = json.loads(client.get(reverse("record-export", args=[ticket.pk, "json"])).content)
    assert (
        data["slug"] == "support-ticket" and data["records"][0]["values"]["category"] == "network"
    )
    pdf = client.get(reverse("record-export", args=[ticket.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("record-export", args=[ticket.pk, "xls"])).status_code == 404


def test_a_formula_at_a_cells_start_is_defused(world, ticket, client_for):
    record = _fill(ticket, world.teammate)
    services.record_save(
        record=record, user=world.teammate, values=record.values | {"summary": "=HYPERLINK(1)"}
    )
    body = client_for(world.teammate).get(reverse("record-export", args=[ticket.pk, "csv"]))
    assert "'=HYPERLINK(1)" in body.content.decode()


def test_admin_builds_a_template_in_the_editor(world, client_for):
    client = client_for(world.owner)
    data = {
        "name": "Site visit",
        "visible_to": ["manager"],
        "fields-TOTAL_FORMS": "3",
        "fields-INITIAL_FORMS": "0",
        "fields-0-label": "Site",
        "fields-0-type": "text",
        "fields-0-required": "on",
        "fields-1-label": "Risk",
        "fields-1-type": "choice",
        "fields-1-options": "low, high",
        "fields-2-label": "",
    }
    response = client.post(reverse("record-template-new"), data)
    assert response.status_code == 302
    template = world.team.record_templates.get()
    assert [f["name"] for f in template.current.fields] == ["site", "risk"]
    assert template.current.field("risk")["options"] == ["low", "high"]
    assert client_for(world.teammate).get(reverse("record-template-new")).status_code == 403


def test_the_editor_refuses_a_choice_without_options(world, client_for):
    data = {
        "name": "X",
        "fields-TOTAL_FORMS": "1",
        "fields-INITIAL_FORMS": "0",
        "fields-0-label": "Risk",
        "fields-0-type": "choice",
    }
    response = client_for(world.owner).post(reverse("record-template-new"), data)
    assert response.status_code == 400 and "at least two options" in response.content.decode()
    assert not world.team.record_templates.exists()


def test_paste_page_fills_and_opens_the_review(world, ticket, client_for):
    response = client_for(world.teammate).post(
        reverse("record-dictate", args=[ticket.pk]),
        {"text": TICKET_TEXT, "recorded_on": "2026-11-25"},
    )
    record = Record.objects.get()
    assert response["Location"] == reverse("record-detail", args=[record.pk])
    assert record.author == world.teammate and record.values["category"] == "network"


def test_an_empty_paste_or_upload_is_refused(world, ticket, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.teammate)
    url = reverse("record-dictate", args=[ticket.pk])
    assert client.post(url, {"text": "   "}).status_code == 400
    empty = SimpleUploadedFile("note.webm", b"", content_type="audio/webm")
    assert client.post(url, {"audio": empty}).status_code == 400
    assert not Record.objects.exists()


def test_an_upload_queues_the_dictation_job(
    world, ticket, client_for, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("note.flac", b"fLaC" + bytes(2000), content_type="audio/flac")
    with django_capture_on_commit_callbacks():
        response = client_for(world.teammate).post(
            reverse("record-dictate", args=[ticket.pk]),
            {"audio": upload, "held_on": "2026-11-20"},
            headers={"X-Requested-With": "XMLHttpRequest"},
        )
    record = Record.objects.get()
    assert response.status_code == 200 and f"record-{record.pk}-status" in response.content.decode()
    assert record.status == Record.Status.TRANSCRIBING and record.recorded_on == dt.date(
        2026, 11, 20
    )
    assert record.job.kind == "reports.dictation" and record.job.params == {"record": record.pk}
    status = client_for(world.teammate).get(reverse("record-status", args=[record.pk]))
    assert status.status_code == 200
    # Nothing can be saved while the worker is still on it.
    client_for(world.teammate).post(
        reverse("record-detail", args=[record.pk]), {"f-priority": "low"}
    )
    record.refresh_from_db()
    assert record.status == Record.Status.TRANSCRIBING and record.values == {}


def test_editing_a_templates_fields_in_the_editor_makes_a_new_version(world, ticket, client_for):
    client = client_for(world.owner)
    url = reverse("record-template-edit", args=[ticket.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["formset"]
    data = {
        "name": "Support ticket",
        "visible_to": ["manager", "admin"],
        "fields-TOTAL_FORMS": str(form.total_form_count()),
        "fields-INITIAL_FORMS": str(form.initial_form_count()),
    }
    for i, f in enumerate(form.forms):
        for name, value in (f.initial or {}).items():
            if name == "required":
                if value:
                    data[f"fields-{i}-required"] = "on"
            else:
                data[f"fields-{i}-{name}"] = value
    data["fields-2-options"] = "hardware, software, network, account, printer, phone"
    data["fields-8-DELETE"] = "on"  # the due date goes
    assert client.post(url, data).status_code == 302
    current = ticket.current
    assert current.number == 2 and "phone" in current.field("category")["options"]
    assert current.field("due") is None and ticket.versions.get(number=1).field("due")
