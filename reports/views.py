"""Drafts: start one, watch it being written, edit it, then copy, mail or send it yourself."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assistant.models import Role
from assistant.selectors import get_for_user
from assistant.views import team_required
from meetings.models import Meeting

from . import layouts as L
from . import services
from .compose import Facts, reply_parts
from .forms import DraftEditForm, EmailForm, FeedbackForm, FollowupForm, ReplyForm, StyleForm, lines
from .models import Draft
from .selectors import drafts_visible, style_for
from .stream import adraft_events, draft_events


def _draft(request, pk: int) -> Draft:
    return get_for_user(drafts_visible(user=request.user).select_related("job"), request.user,
                        pk=pk)


def _own_draft(request, pk: int) -> Draft:
    draft = _draft(request, pk)
    if draft.author_id != request.user.pk:
        raise Http404("Only its author can change a draft")
    return draft


def _tone(request) -> str:
    return style_for(team=request.team).tone


@team_required()
def draft_list(request):
    visible = drafts_visible(user=request.user).filter(team=request.team)
    others = visible.exclude(author=request.user).filter(kind=Draft.Kind.FEEDBACK)
    is_manager = request.membership.has_role(Role.MANAGER)
    return render(request, "reports/draft_list.html", {
        "mine": visible.filter(author=request.user).exclude(kind=Draft.Kind.DAILY_REPORT)[:50],
        "shared": others.filter(member=request.user),
        # The team's other managers read feedback too: it is listed where they can find it.
        "team_feedback": (others.exclude(member=request.user).select_related("author", "member")
                          [:50] if is_manager else []),
        "is_manager": is_manager,
    })


@team_required()
def draft_email(request):
    form = EmailForm(request.POST or None, initial={"tone": _tone(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recipients = [a.strip() for a in data["recipients"].split(",") if a.strip()]
        facts = Facts(kind=L.EMAIL, sender=request.user.display_name, tone=data["tone"],
                      to=[n.strip() for n in data["to"].split(",") if n.strip()],
                      purpose=data["purpose"], points=lines(data["points"]))
        draft = services.draft_start(team=request.team, author=request.user, facts=facts,
                                     recipients=recipients, form=data)
        return redirect("draft-detail", pk=draft.pk)
    return render(request, "reports/draft_new.html", {"form": form, "kind": "email"})


@team_required()
def draft_reply(request):
    form = ReplyForm(request.POST or None, initial={"tone": _tone(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _, _, address = reply_parts(data["original"])
        facts = Facts(kind=L.REPLY, sender=request.user.display_name, tone=data["tone"],
                      original=data["original"], gist=data["gist"])
        draft = services.draft_start(team=request.team, author=request.user, facts=facts,
                                     recipients=[address] if address else [], form=data)
        return redirect("draft-detail", pk=draft.pk)
    return render(request, "reports/draft_new.html", {"form": form, "kind": "reply"})


@team_required()
def draft_followup(request, pk: int):
    """The follow-up email to a meeting's attendees (linked from the minutes page)."""
    meeting = get_for_user(Meeting.objects, request.user, pk=pk)
    form = FollowupForm(request.POST or None, initial={"tone": _tone(request)})
    if request.method == "POST" and form.is_valid():
        draft = services.followup_start(meeting=meeting, author=request.user,
                                        tone=form.cleaned_data["tone"])
        return redirect("draft-detail", pk=draft.pk)
    return render(request, "reports/draft_new.html", {"form": form, "kind": "followup",
                                                      "meeting": meeting})


@team_required(Role.MANAGER)
def draft_feedback(request):
    form = FeedbackForm(request.POST or None, team=request.team, manager=request.user,
                        initial={"tone": _tone(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = services.feedback_start(
            team=request.team, author=request.user, member=data["member"], first=data["first"],
            last=data["last"], points=lines(data["points"]), impact=lines(data["impact"]),
            tone=data["tone"])
        return redirect("draft-detail", pk=draft.pk)
    return render(request, "reports/draft_new.html", {"form": form, "kind": "feedback"})


def mailto(draft: Draft) -> str:
    return (f"mailto:{quote(draft.recipients.replace(' ', ''), safe='@,')}"
            f"?subject={quote(draft.subject)}&body={quote(draft.body)}")


@team_required()
def draft_detail(request, pk: int):
    draft = _draft(request, pk)
    form = DraftEditForm(request.POST or None, initial={
        "subject": draft.subject, "body": draft.body, "recipients": draft.recipients})
    if request.method == "POST":
        draft = _own_draft(request, pk)
        if form.is_valid():
            try:
                services.draft_save(draft=draft, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, "Draft saved.")
        else:
            messages.error(request, "The draft could not be saved: check the fields.")
        return redirect(request.POST.get("next") or draft_url(draft))
    return render(request, "reports/draft_detail.html", {
        "draft": draft, "form": form, "mailto": mailto(draft),
        "can_edit": draft.author_id == request.user.pk})


def draft_url(draft: Draft) -> str:
    if draft.kind == Draft.Kind.DAILY_REPORT and hasattr(draft, "daily_report"):
        return reverse("report-day") + f"?day={draft.daily_report.day:%Y-%m-%d}"
    return reverse("draft-detail", args=[draft.pk])


@team_required()
def draft_stream(request, pk: int):
    """Server-sent events: the draft's text as the worker writes it."""
    draft = _draft(request, pk)
    events = (adraft_events(draft.pk) if isinstance(request, ASGIRequest)
              else draft_events(draft.pk))
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx would otherwise hold the pieces back
    return response


@team_required()
@require_POST
def draft_stop(request, pk: int):
    draft = _own_draft(request, pk)
    services.draft_stop(draft=draft)
    if request.htmx or request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect(draft_url(draft))


@team_required()
def draft_send(request, pk: int):
    """Show exactly what would be sent; send it only when the person confirms that text."""
    draft = _own_draft(request, pk)
    if not draft.is_email or draft.is_writing:
        raise Http404("Only a finished email can be sent")
    if request.method == "POST":
        try:
            services.draft_send(draft=draft, digest=request.POST.get("digest", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("draft-send", pk=draft.pk)
        messages.success(request, f"Sent to {draft.recipients}.")
        return redirect("draft-detail", pk=draft.pk)
    return render(request, "reports/draft_send.html", {
        "draft": draft, "digest": services.draft_digest(draft),
        "from_email": settings.DEFAULT_FROM_EMAIL})


@team_required(Role.MANAGER)
@require_POST
def draft_share(request, pk: int):
    draft = _own_draft(request, pk)
    if draft.kind != Draft.Kind.FEEDBACK or draft.is_writing:
        raise Http404("Only finished feedback can be shared")
    services.feedback_share(draft=draft)
    messages.success(request, f"{draft.member} can read this feedback now.")
    return redirect("draft-detail", pk=draft.pk)


@team_required()
@require_POST
def draft_delete(request, pk: int):
    draft = _own_draft(request, pk)
    if draft.kind == Draft.Kind.DAILY_REPORT:
        raise Http404("A daily report's text is deleted with the report")
    services.draft_stop(draft=draft)
    draft.delete()
    messages.success(request, "Draft deleted.")
    return redirect("draft-list")


@team_required(Role.ADMIN)
def draft_style(request):
    """The team's tone, sign-offs and layouts."""
    style = style_for(team=request.team)
    form = StyleForm(request.POST or None, style=style)
    if request.method == "POST" and form.is_valid():
        services.style_save(team=request.team, by=request.user, tone=form.cleaned_data["tone"],
                            signoffs=form.signoffs(), layouts=form.layouts())
        messages.success(request, "Drafting style saved.")
        return redirect("draft-style")
    return render(request, "reports/style.html", {"form": form})
