"""Writes for drafting: start a draft, write it on a worker, edit, send, share, submit."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import asdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assistant.jobs import job_create
from assistant.models import Job, Team, User
from meetings.models import Meeting

from . import layouts as L
from .compose import Facts, Part, Plan, plan
from .models import DailyReport, Draft, DraftStyle
from .prose import DraftWriter, Generate
from .selectors import day_facts, feedback_facts, managers_of, meeting_facts, style_for

log = logging.getLogger(__name__)
DRAFT_JOB = "reports.draft"
FLUSH_S = 0.05  # how often the worker writes the growing text for the page to read


def plan_to_json(p: Plan) -> dict:
    return {**asdict(p), "parts": [[part.text, part.slot] for part in p.parts]}


def plan_from_json(data: dict) -> Plan:
    return Plan(**{**data, "parts": [Part(text, slot) for text, slot in data["parts"]]})


def _prefix(p: Plan) -> str:
    """Code's text before the model's first gap: on the page as soon as the draft starts."""
    text = ""
    for part in p.parts:
        if part.is_prose:
            break
        text += part.text
    return text


def draft_start(*, team: Team, author: User, facts: Facts, recipients: list[str] = (),
                form: dict | None = None, meeting: Meeting | None = None,
                member: User | None = None) -> Draft:
    """Compose the draft from its facts and queue the model's part on the text workers."""
    style = style_for(team=team)
    the_plan = plan(facts, style.layout(facts.kind), style.signoff(facts.tone))
    with transaction.atomic():
        draft = Draft.objects.create(
            team=team, author=author, kind=facts.kind, tone=facts.tone,
            subject=the_plan.subject[:300], body=_prefix(the_plan),
            recipients=", ".join(recipients), meeting=meeting, member=member,
            inputs={"plan": plan_to_json(the_plan), "form": form or {}})
        draft.job = job_create(team=team, owner=author, kind=DRAFT_JOB,
                               title=f"Draft: {draft.subject[:80]}", params={"draft": draft.pk})
        draft.save(update_fields=["job"])
    return draft


def _flush(draft: Draft, text: str) -> bool:
    """Write the text so far; False once the person asked to stop."""
    return bool(Draft.objects.filter(pk=draft.pk, stop_requested=False).update(body=text))


def draft_write(*, draft: Draft, generate: Generate | None) -> dict:
    """The worker's part: stream the draft into its row; always ends with a whole draft."""
    the_plan = plan_from_json(draft.inputs["plan"])
    stop = threading.Event()
    writer = DraftWriter(the_plan, generate, stop=stop)
    started = time.monotonic()
    last, error = 0.0, ""
    try:
        for op, _ in writer:
            if op == "reset" or time.monotonic() - last >= FLUSH_S:
                last = time.monotonic()
                if not _flush(draft, writer.text):
                    stop.set()
        text = writer.text
    except Exception as exc:  # the facts still reach the person, in the plain layout
        log.exception("draft %s: writing failed", draft.pk)
        text, error = the_plan.template_text(), str(exc)
    waited = (timezone.now() - draft.created_at).total_seconds() - (time.monotonic() - started)
    outcome = {"parts": [asdict(o) for o in writer.outcomes], "error": error,
               "seconds": round(time.monotonic() - started, 2), "waited": round(waited, 2),
               "stopped": stop.is_set()}
    Draft.objects.filter(pk=draft.pk).update(body=text, status=Draft.Status.READY,
                                             outcome=outcome, updated_at=timezone.now())
    return outcome


def draft_finish_plain(*, draft: Draft, reason: str) -> None:
    """Finish a draft without the model (its job was stopped before it ran, or failed)."""
    text = plan_from_json(draft.inputs["plan"]).template_text()
    Draft.objects.filter(pk=draft.pk, status=Draft.Status.WRITING).update(
        body=text, status=Draft.Status.READY, outcome={"parts": [], "error": reason},
        updated_at=timezone.now())


def draft_cancel_queued(*, draft: Draft, reason: str) -> bool:
    """If no worker has taken the draft yet, cancel its job and finish it without the model."""
    if draft.job_id and Job.objects.filter(pk=draft.job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.CANCELLED, finished_at=timezone.now()):
        draft_finish_plain(draft=draft, reason=reason)
        return True
    return False


def draft_stop(*, draft: Draft) -> None:
    """Stop the model: the draft finishes at once with the stock sentences where it had gaps."""
    if not draft_cancel_queued(draft=draft, reason="stopped before the model started"):
        Draft.objects.filter(pk=draft.pk, status=Draft.Status.WRITING).update(
            stop_requested=True)


def _clean_recipients(value: str) -> list[str]:
    addresses = [a.strip() for a in value.replace(";", ",").split(",") if a.strip()]
    for address in addresses:
        validate_email(address)
    return addresses


def draft_save(*, draft: Draft, subject: str, body: str, recipients: str = "") -> Draft:
    """The person's edit. Recipients must be addresses; nothing is sent."""
    if draft.is_writing:
        raise ValidationError("Wait for the draft to finish (or stop it) before editing.")
    # One line: a subject is a mail header.
    draft.subject, draft.body = " ".join(subject.split())[:300], body.replace("\r\n", "\n")
    if draft.is_email:
        draft.recipients = ", ".join(_clean_recipients(recipients))
    draft.save(update_fields=["subject", "body", "recipients", "updated_at"])
    return draft


def draft_digest(draft: Draft) -> str:
    """A fingerprint of exactly what would be sent: confirming it sends that and only that."""
    text = "\x00".join([draft.recipients, draft.subject, draft.body])
    return hashlib.sha256(text.encode()).hexdigest()


def draft_send(*, draft: Draft, digest: str) -> None:
    """Send through the configured email, only the text the person confirmed."""
    if digest != draft_digest(draft):
        raise ValidationError("The draft changed since you confirmed it; check it again.")
    recipients = _clean_recipients(draft.recipients)
    if not recipients:
        raise ValidationError("Add at least one recipient's email address first.")
    EmailMessage(draft.subject, draft.body, None, recipients,
                 reply_to=[draft.author.email]).send()
    draft.sent_at = timezone.now()
    draft.save(update_fields=["sent_at", "updated_at"])


def feedback_share(*, draft: Draft) -> None:
    """Let the member read the feedback, and tell them where."""
    if draft.shared_at:
        return
    draft.shared_at = timezone.now()
    draft.save(update_fields=["shared_at", "updated_at"])
    link = settings.SITE_URL + reverse("draft-detail", args=[draft.pk])
    send_mail(f"{draft.author} shared feedback with you", f"Read it here:\n\n{link}\n", None,
              [draft.member.email], fail_silently=True)


def followup_start(*, meeting: Meeting, author: User, tone: str) -> Draft:
    facts = meeting_facts(meeting=meeting)
    return draft_start(
        team=meeting.team, author=author, meeting=meeting, recipients=facts.recipients,
        form={"tone": tone},
        facts=Facts(kind=L.FOLLOWUP, sender=author.display_name, tone=tone,
                    to=facts.attendees, title=facts.title, date=facts.day,
                    summary=facts.summary, decisions=facts.decisions, items=facts.items))


def feedback_start(*, team: Team, author: User, member: User, first: date, last: date,
                   points: list[str], impact: list[str], tone: str) -> Draft:
    found = feedback_facts(team=team, member=member, first=first, last=last)
    facts = Facts(kind=L.FEEDBACK, sender=author.display_name, tone=tone,
                  member=member.display_name, period=(first, last), completed=found.completed,
                  overdue=found.overdue, meetings=found.meetings, points=points, impact=impact)
    form = {"first": first.isoformat(), "last": last.isoformat(), "points": points,
            "impact": impact, "tone": tone}
    return draft_start(team=team, author=author, facts=facts, member=member, form=form)


def report_for(*, team: Team, author: User, day: date) -> DailyReport:
    report, _ = DailyReport.objects.get_or_create(team=team, author=author, day=day)
    return report


def report_draft(*, report: DailyReport, notes: str, tone: str) -> Draft:
    """Write (again) the report's text from the day's to-dos, meetings and the notes."""
    found = day_facts(team=report.team, member=report.author, day=report.day)
    managers = [m.display_name for m in managers_of(team=report.team) if m != report.author]
    facts = Facts(kind=L.DAILY_REPORT, sender=report.author.display_name, tone=tone,
                  to=managers, date=report.day, done=found.done,
                  in_progress=found.in_progress, blocked=found.blocked,
                  meetings=found.meetings, notes=notes)
    with transaction.atomic():
        old = report.draft
        report.notes = notes
        report.draft = draft_start(team=report.team, author=report.author, facts=facts,
                                   form={"tone": tone})
        report.save(update_fields=["notes", "draft", "updated_at"])
        if old is not None:
            draft_stop(draft=old)
            old.delete()
    return report.draft


def report_submit(*, report: DailyReport) -> None:
    """Hand the report to the team's managers (they are told where to read it)."""
    if report.draft is None or report.draft.is_writing:
        raise ValidationError("Draft the report (and let it finish) before submitting it.")
    report.status, report.submitted_at = DailyReport.Status.SUBMITTED, timezone.now()
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    link = settings.SITE_URL + reverse("report-team-day") + f"?day={report.day:%Y-%m-%d}"
    emails = [m.email for m in managers_of(team=report.team) if m != report.author]
    if emails:
        send_mail(f"Daily report from {report.author}: {report.day:%a %-d %b}",
                  f"Read it here:\n\n{link}\n", None, emails, fail_silently=True)


def style_save(*, team: Team, by: User, tone: str, signoffs: dict[str, str],
               layouts: dict[str, L.Layout]) -> DraftStyle:
    """Save the team's style; layouts equal to the default are not stored."""
    for kind, layout in layouts.items():
        if errors := L.layout_errors(kind, layout):
            raise ValidationError(errors)
    stored = {k: asdict(v) for k, v in layouts.items() if v != L.DEFAULT_LAYOUTS[k]}
    style, _ = DraftStyle.objects.update_or_create(team=team, defaults={
        "tone": tone, "signoffs": {t: s.strip() for t, s in signoffs.items() if s.strip()},
        "layouts": stored, "updated_by": by})
    return style
