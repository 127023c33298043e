"""Daily reports: the author's page for a day, and the managers' day and week views."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from assistant.models import Role
from assistant.selectors import get_for_user
from assistant.views import team_required
from meetings.todos import local_today

from . import services
from .forms import ReportForm
from .models import DailyReport
from .selectors import day_facts, reports_visible, style_for, team_day, week_rollup
from .views import mailto


def _day(request) -> date:
    return parse_date(request.GET.get("day") or "") or local_today(request.user, request.team)


def _day_url(day: date) -> str:
    return reverse("report-day") + f"?day={day:%Y-%m-%d}"


@team_required()
def report_today(request):
    return redirect(_day_url(local_today(request.user, request.team)))


@team_required()
def report_day(request):
    """The signed-in person's report for one day: facts, notes, the text, submit."""
    day = _day(request)
    report = (DailyReport.objects.filter(team=request.team, author=request.user, day=day)
              .select_related("draft").first())
    form = ReportForm(request.POST or None, initial={
        "notes": report.notes if report else "", "tone": style_for(team=request.team).tone})
    if request.method == "POST" and form.is_valid():
        report = report or services.report_for(team=request.team, author=request.user, day=day)
        services.report_draft(report=report, **form.cleaned_data)
        return redirect(_day_url(day))
    draft = report.draft if report else None
    return render(request, "reports/report_day.html", {
        "day": day, "report": report, "form": form, "draft": draft,
        "facts": day_facts(team=request.team, member=request.user, day=day),
        "mailto": mailto(draft) if draft else "", "can_edit": True,
        "previous": day - timedelta(days=1), "next": day + timedelta(days=1),
        "next_url": _day_url(day)})


@team_required()
@require_POST
def report_submit(request, pk: int):
    report = get_for_user(reports_visible(user=request.user), request.user, pk=pk,
                          author=request.user)
    try:
        services.report_submit(report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Report submitted to your manager.")
    return redirect(_day_url(report.day))


@team_required()
def report_detail(request, pk: int):
    report = get_for_user(reports_visible(user=request.user), request.user, pk=pk)
    return render(request, "reports/report_detail.html", {"report": report})


@team_required(Role.MANAGER)
def report_team_day(request):
    day = _day(request)
    return render(request, "reports/team_day.html", {
        "day": day, "rows": team_day(team=request.team, day=day),
        "previous": day - timedelta(days=1), "next": day + timedelta(days=1),
        "monday": day - timedelta(days=day.weekday())})


@team_required(Role.MANAGER)
def report_team_week(request):
    day = parse_date(request.GET.get("week") or "") or local_today(request.user, request.team)
    monday = day - timedelta(days=day.weekday())
    return render(request, "reports/team_week.html", {
        "monday": monday, "rows": week_rollup(team=request.team, monday=monday),
        "days": [monday + timedelta(days=i) for i in range(7)],
        "previous": monday - timedelta(days=7), "next": monday + timedelta(days=7)})
