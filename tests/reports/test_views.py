"""Drafts in the web app: who sees what, the stream, stop, edit, send only after confirming."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from assistant.models import Job, Membership, Role
from meetings.minutes import minutes_store
from reports.models import Draft
from reports.stream import Relay
from tests.factories import MeetingFactory, MembershipFactory, SegmentFactory
from tests.reports import factories

pytestmark = pytest.mark.django_db


def _events(response) -> list[tuple[str, dict]]:
    text = b"".join(response.streaming_content).decode()
    out = []
    for block in text.strip().split("\n\n"):
        name, data = block.split("\n")
        out.append((name.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return out


def _email(client):
    return client.post(reverse("draft-email"), {
        "to": "Aisha Bello, Liam O'Connor", "recipients": "aisha@example.com",
        "purpose": "the team offsite in Lisbon", "points": "Flights are booked\n- Agenda shared",
        "tone": "friendly"})


def test_an_email_draft_starts_with_code_text_and_queues_the_model(world, client_for):
    response = _email(client_for(world.teammate))
    draft = Draft.objects.get()
    assert response["Location"] == reverse("draft-detail", args=[draft.pk])
    assert draft.is_writing and draft.body == "Hi Aisha and Liam,\n\n"
    assert draft.job.kind == "reports.draft" and draft.job.status == Job.Status.QUEUED
    assert draft.subject == "The team offsite in Lisbon"
    page = client_for(world.teammate).get(response["Location"]).content.decode()
    assert 'data-writing="1"' in page and reverse("draft-stream", args=[draft.pk]) in page


def test_the_stream_sends_the_whole_text_then_done(world, client_for, write_now):
    _email(client_for(world.teammate))
    draft = write_now(Draft.objects.get(), "share the plan for the offsite in Lisbon.",
                      "Let me know what you think.")
    response = client_for(world.teammate).get(reverse("draft-stream", args=[draft.pk]))
    assert response["Content-Type"] == "text/event-stream"
    events = _events(response)
    assert [name for name, _ in events] == ["reset", "done"]
    assert events[0][1]["text"] == draft.body
    assert "I wanted to share the plan for the offsite in Lisbon." in events[1][1]["body"]
    assert "The assistant wrote the opening and closing sentence" in events[1][1]["note"]


def test_the_relay_sends_pieces_and_resets(world):
    draft = factories.draft(world, status="writing", body="Hi")
    relay = Relay(draft.pk)
    assert relay.step() == (['event: reset\ndata: {"text": "Hi"}\n\n'], False)
    Draft.objects.filter(pk=draft.pk).update(body="Hi all")
    assert relay.step() == (['event: piece\ndata: {"text": " all"}\n\n'], False)
    Draft.objects.filter(pk=draft.pk).update(body="Hello", status="ready")
    chunks, over = relay.step()
    assert over and chunks[0].startswith("event: reset") and chunks[1].startswith("event: done")


def test_a_draft_whose_job_failed_finishes_with_the_template(world):
    draft = factories.draft(world, status="writing", body="Hi")
    draft.job = Job.objects.create(team=world.team, owner=world.owner, kind="reports.draft",
                                   status=Job.Status.FAILED)
    draft.save()
    chunks, over = Relay(draft.pk).step()
    draft.refresh_from_db()
    assert over and draft.status == "ready" and "- Flights are booked" in draft.body


def test_stop_before_the_worker_starts_gives_the_template_at_once(world, client_for):
    _email(client_for(world.teammate))
    draft = Draft.objects.get()
    client_for(world.teammate).post(reverse("draft-stop", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "ready" and draft.job.status == Job.Status.CANCELLED
    assert "- Flights are booked\n- Agenda shared" in draft.body


def test_stop_while_writing_signals_the_worker(world, client_for):
    _email(client_for(world.teammate))
    draft = Draft.objects.get()
    Job.objects.filter(pk=draft.job_id).update(status=Job.Status.RUNNING)
    response = client_for(world.teammate).post(reverse("draft-stop", args=[draft.pk]),
                                               headers={"X-Requested-With": "fetch"})
    assert response.status_code == 204
    assert Draft.objects.get().stop_requested


@pytest.mark.parametrize(("who", "status"), [
    ("teammate", 200), ("manager", 404), ("owner", 404), ("stranger", 404)])
def test_an_email_draft_is_its_authors_only(world, client_for, who, status):
    draft = factories.draft(world, author=world.teammate)
    client = client_for(getattr(world, who))
    assert client.get(reverse("draft-detail", args=[draft.pk])).status_code == status
    assert client.get(reverse("draft-stream", args=[draft.pk])).status_code == status


def test_feedback_is_for_managers_and_the_member_once_shared(world, client_for):
    other = MembershipFactory(team=world.team, role=Role.EMPLOYEE).user
    draft = factories.draft(world, "feedback", author=world.manager)
    url = reverse("draft-detail", args=[draft.pk])
    assert client_for(world.manager).get(url).status_code == 200
    page = client_for(world.owner).get(url)  # another manager (admin) reads, cannot edit
    assert page.status_code == 200 and "data-draft-body" not in page.content.decode()
    assert client_for(world.owner).post(url, {"body": "x"}).status_code == 404
    for outsider in (world.teammate, other, world.stranger):
        assert client_for(outsider).get(url).status_code == 404
    client_for(world.manager).post(reverse("draft-share", args=[draft.pk]))
    assert client_for(world.teammate).get(url).status_code == 200
    assert client_for(other).get(url).status_code == 404
    assert mail.outbox[-1].to == [world.teammate.email]


def test_feedback_about_a_manager_waits_until_it_is_shared(world, client_for):
    """The member reads it once shared, even when they manage the team themselves."""
    another_manager = MembershipFactory(team=world.team, role=Role.MANAGER).user
    draft = factories.draft(world, "feedback", author=world.owner, member=world.manager)
    url = reverse("draft-detail", args=[draft.pk])
    assert client_for(another_manager).get(url).status_code == 200
    assert client_for(world.manager).get(url).status_code == 404
    client_for(world.owner).post(reverse("draft-share", args=[draft.pk]))
    assert client_for(world.manager).get(url).status_code == 200


def test_the_teams_other_managers_find_feedback_in_their_list(world, client_for):
    draft = factories.draft(world, "feedback", author=world.manager)
    link = reverse("draft-detail", args=[draft.pk])
    assert link in client_for(world.owner).get(reverse("draft-list")).content.decode()
    for outsider in (world.teammate, world.stranger):  # the member: not before it is shared
        assert link not in client_for(outsider).get(reverse("draft-list")).content.decode()


def test_only_managers_start_feedback(world, client_for):
    assert client_for(world.teammate).get(reverse("draft-feedback")).status_code == 403
    response = client_for(world.manager).post(reverse("draft-feedback"), {
        "member": world.teammate.pk, "first": "2026-11-02", "last": "2026-11-15",
        "points": "Clear slides", "impact": "", "tone": "formal"})
    draft = Draft.objects.get()
    assert response.status_code == 302 and draft.member == world.teammate
    assert "Behaviour:\n- Clear slides" in draft.inputs["plan"]["given"]


def test_the_author_edits_and_model_text_is_escaped(world, client_for):
    draft = factories.draft(world, author=world.teammate)
    client = client_for(world.teammate)
    client.post(reverse("draft-detail", args=[draft.pk]), {
        "subject": "Offsite", "body": "Hi <script>alert(1)</script>", "recipients": "a@b.co"})
    draft.refresh_from_db()
    assert (draft.subject, draft.recipients) == ("Offsite", "a@b.co")
    page = client.get(reverse("draft-detail", args=[draft.pk])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_a_subject_is_saved_on_one_line_and_sends(world, client_for):
    """A subject is a mail header: a line break in it would stop the send (or add headers)."""
    draft = factories.draft(world, author=world.teammate)
    client = client_for(world.teammate)
    client.post(reverse("draft-detail", args=[draft.pk]), {
        "subject": "  Offsite\r\nBcc: everyone@example.com\n plans ", "body": draft.body,
        "recipients": "aisha@example.com"})
    draft.refresh_from_db()
    assert draft.subject == "Offsite Bcc: everyone@example.com plans"
    page = client.get(reverse("draft-send", args=[draft.pk])).content.decode()
    digest = page.split('name="digest" value="')[1].split('"')[0]
    client.post(reverse("draft-send", args=[draft.pk]), {"digest": digest})
    assert [(m.subject, m.to, m.bcc) for m in mail.outbox] == [
        ("Offsite Bcc: everyone@example.com plans", ["aisha@example.com"], [])]


def test_nothing_is_sent_without_confirming_the_exact_text(world, client_for):
    draft = factories.draft(world, author=world.teammate)
    client = client_for(world.teammate)
    page = client.get(reverse("draft-send", args=[draft.pk])).content.decode()
    assert draft.body.split("\n")[0] in page and "Yes, send exactly this" in page
    digest = page.split('name="digest" value="')[1].split('"')[0]
    Draft.objects.filter(pk=draft.pk).update(body="changed after confirming")
    client.post(reverse("draft-send", args=[draft.pk]), {"digest": digest})
    assert mail.outbox == []
    draft.refresh_from_db()
    page = client.get(reverse("draft-send", args=[draft.pk])).content.decode()
    digest = page.split('name="digest" value="')[1].split('"')[0]
    client.post(reverse("draft-send", args=[draft.pk]), {"digest": digest})
    assert [m.body for m in mail.outbox] == ["changed after confirming"]
    assert mail.outbox[0].to == ["aisha@example.com"]
    assert mail.outbox[0].reply_to == [world.teammate.email]


def test_a_followup_from_the_minutes_goes_to_the_attendees(world, client_for, write_now):
    meeting = MeetingFactory(team=world.team, title="Launch sync")
    SegmentFactory(meeting=meeting)
    minutes_store(meeting=meeting, result={
        "title": "Launch sync", "attendees": [world.teammate.display_name,
                                              world.manager.display_name],
        "summary": [{"text": "The beta is on track"}], "decisions": [{"text": "Ship Friday"}],
        "action_items": [{"owner": world.teammate.display_name, "task": "Write the notes",
                          "due": "2026-11-20", "quote": "", "start": 1.0}]})
    client = client_for(world.manager)
    minutes_page = client.get(reverse("minutes-detail", args=[meeting.pk])).content.decode()
    assert f'href="{reverse("draft-followup", args=[meeting.pk])}"' in minutes_page
    assert client.get(reverse("draft-followup", args=[meeting.pk])).status_code == 200
    client.post(reverse("draft-followup", args=[meeting.pk]), {"tone": "brief"})
    draft = write_now(Draft.objects.get())
    assert draft.meeting == meeting and draft.subject.startswith("Follow-up: Launch sync")
    assert set(draft.recipients.split(", ")) == {world.teammate.email, world.manager.email}
    assert f"- {world.teammate.display_name}: Write the notes (due Friday 20 November)" \
        in draft.body
    assert "Decisions:\n- Ship Friday" in draft.body


def test_the_admin_sets_the_teams_tone_signoff_and_layout(world, client_for):
    from reports.forms import StyleForm
    from reports.selectors import style_for

    assert client_for(world.manager).get(reverse("draft-style")).status_code == 403
    form = StyleForm(style=style_for(team=world.team))
    data = {name: field.initial or "" for name, field in form.fields.items()}
    data.update(tone="formal", signoff_formal="With best wishes,",
                body_email="{greeting}\n\n{points}\n\n{opening}\n\n{signoff}\n{sender}")
    response = client_for(world.owner).post(reverse("draft-style"), data)
    assert response.status_code == 302
    assert client_for(world.teammate).get(reverse("draft-email")).context["form"][
        "tone"].initial == "formal"
    client_for(world.teammate).post(reverse("draft-email"), {
        "to": "Aisha Bello", "purpose": "the offsite", "points": "Flights are booked",
        "tone": "formal"})
    plan = Draft.objects.get().inputs["plan"]
    text = "".join(part for part, _ in plan["parts"])
    assert text.startswith("Dear Aisha Bello,\n\n- Flights are booked\n\nI am writing")
    assert text.endswith("With best wishes,\n" + world.teammate.display_name)
    bad = {**data, "body_email": "{greeting}\n{signoff}\n{sender}"}
    page = client_for(world.owner).post(reverse("draft-style"), bad).content.decode()
    assert "must keep {points}" in page


def test_a_member_who_left_loses_their_drafts(world, client_for):
    draft = factories.draft(world, author=world.teammate)
    Membership.objects.filter(user=world.teammate).delete()
    client = client_for(world.teammate)
    assert client.get(reverse("draft-detail", args=[draft.pk])).status_code in (302, 404)


def test_a_draft_no_worker_takes_soon_is_finished_without_the_model(world, client_for):
    import datetime as dt

    _email(client_for(world.teammate))
    draft = Draft.objects.get()
    assert Relay(draft.pk).step()[1] is False  # still waiting, for now
    Draft.objects.filter(pk=draft.pk).update(created_at=draft.created_at - dt.timedelta(
        seconds=11))
    chunks, over = Relay(draft.pk).step()
    draft.refresh_from_db()
    assert over and draft.status == "ready" and draft.job.status == Job.Status.CANCELLED
    assert "the text workers were busy" in draft.note
