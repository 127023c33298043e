"""Pages for records: dictate (record, upload, paste), review and save, list, export, templates."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assistant.models import Role
from assistant.selectors import get_for_user
from assistant.views import team_required

from . import records_exports
from . import records_services as services
from .records_forms import (
    DictationTextForm,
    DictationUploadForm,
    FieldFormSet,
    TemplateForm,
    fields_from_formset,
    form_initial,
    form_values,
    formset_initial,
    record_form,
)
from .records_models import Record, RecordTemplate
from .records_selectors import record_for, records_search, records_visible, templates_for
from .records_starters import STARTERS


def _is_xhr(request) -> bool:
    return bool(request.htmx) or request.headers.get("X-Requested-With") == "XMLHttpRequest"


@team_required()
def record_list(request):
    templates = list(templates_for(team=request.team))
    visible = records_visible(user=request.user, membership=request.membership)
    chosen = next((t for t in templates if t.slug == request.GET.get("template")), None)
    saved = visible.filter(status=Record.Status.SAVED)
    if chosen:
        saved = saved.filter(template=chosen)
    query = request.GET.get("q", "").strip()
    if query:
        saved = records_search(records=saved, query=query)
    context = {
        "templates": templates,
        "chosen": chosen,
        "query": query,
        "records": saved[:200],
        "formats": records_exports.FORMATS,
        "to_review": visible.filter(author=request.user).exclude(status=Record.Status.SAVED)[:20],
    }
    if request.htmx and request.htmx.target == "record-results":
        return render(request, "reports/records/list.html#results", context)
    return render(request, "reports/records/list.html", context)


@team_required()
def record_dictate(request, pk: int):
    """Dictate into a template: record in the browser, upload a file, or paste text."""
    template = get_for_user(RecordTemplate.objects, request.user, pk=pk)
    upload_form, text_form = DictationUploadForm(), DictationTextForm()
    if request.method == "POST" and "text" in request.POST:
        text_form = DictationTextForm(request.POST)
        if text_form.is_valid():
            try:
                record = services.record_from_text(
                    template=template,
                    user=request.user,
                    text=text_form.cleaned_data["text"],
                    recorded_on=text_form.cleaned_data["recorded_on"],
                )
            except services.RecordError as exc:
                text_form.add_error("text", str(exc))
            else:
                return redirect("record-detail", pk=record.pk)
    elif request.method == "POST":
        upload_form = DictationUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            try:
                record = services.record_from_audio(
                    template=template,
                    user=request.user,
                    upload=upload_form.cleaned_data["audio"],
                    recorded_on=upload_form.cleaned_data["held_on"],
                )
            except services.RecordError as exc:
                upload_form.add_error("audio", str(exc))
            else:
                if _is_xhr(request):
                    return render(
                        request, "reports/records/partials/status.html", {"record": record}
                    )
                return redirect("record-detail", pk=record.pk)
        if _is_xhr(request):
            return render(
                request, "meetings/partials/upload_errors.html", {"form": upload_form}, status=400
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reports/records/dictate.html",
        {"template": template, "upload_form": upload_form, "text_form": text_form},
        status=status,
    )


@team_required()
def record_status(request, pk: int):
    """Polled while a dictation is transcribed; sends the page to the form when it is filled."""
    record = record_for(user=request.user, membership=request.membership, pk=pk)
    response = render(request, "reports/records/partials/status.html", {"record": record})
    if record.status != Record.Status.TRANSCRIBING:
        response.status_code = 286
        if record.status == Record.Status.REVIEW:
            response["HX-Redirect"] = reverse("record-detail", args=[record.pk])
    return response


@team_required()
def record_detail(request, pk: int):
    """Review: the form beside the transcript; saving enforces required fields."""
    record = record_for(user=request.user, membership=request.membership, pk=pk)
    may_edit = record.author_id == request.user.pk or request.membership.has_role(Role.MANAGER)
    form = record_form(
        record.version, initial=form_initial(record.version, record.values), prefix="f"
    )
    if request.method == "POST":
        if not may_edit:
            raise Http404("No such record in your teams")
        if record.status in (Record.Status.TRANSCRIBING, Record.Status.FAILED):
            messages.error(request, "There is nothing to save until the dictation is filled.")
            return redirect("record-detail", pk=record.pk)
        form = record_form(record.version, request.POST, prefix="f")
        if form.is_valid():
            try:
                services.record_save(
                    record=record,
                    user=request.user,
                    values=form_values(record.version, form.cleaned_data),
                )
            except services.RecordError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{record.template.name} saved.")
                return redirect("record-detail", pk=record.pk)
    return render(
        request,
        "reports/records/detail.html",
        {
            "record": record,
            "form": form,
            "may_edit": may_edit,
            "rows": _rows(record, form),
            "transcript": record.transcript,
            "heard_by": record.filled.get("model", ""),
            "hearings": _hearings(record),
            "changes": record.changes.select_related("user")[:50],
        },
        status=400 if request.method == "POST" else 200,
    )


def _hearings(record: Record) -> list[dict]:
    """The dictation's further transcripts, each with how many fields were filled from it."""
    used = [
        (f.get("source") or {}).get("hearing") for f in record.filled.get("fields", {}).values()
    ]
    return [
        {"n": n, "model": h.get("model", ""), "text": h.get("text", ""), "used": used.count(n)}
        for n, h in enumerate(record.filled.get("hearings", []), 1)
    ]


def _rows(record: Record, form) -> list[dict]:
    """Each form field with where its value came from and why it may be empty."""
    rows = []
    for spec in record.version.fields:
        found = record.filled.get("fields", {}).get(spec["name"], {})
        rows.append(
            {
                "field": form[spec["name"]],
                "spec": spec,
                "source": found.get("source"),
                "method": found.get("method", ""),
                "note": found.get("note", ""),
                "flagged": found.get("value") is None and record.filled != {},
            }
        )
    return rows


@team_required()
@require_POST
def record_delete(request, pk: int):
    record = record_for(user=request.user, membership=request.membership, pk=pk)
    if record.author_id != request.user.pk and not request.membership.has_role(Role.MANAGER):
        messages.error(request, "Only its author or a manager can delete a record.")
        return redirect("record-detail", pk=record.pk)
    services.record_delete(record=record)
    messages.success(request, "Record deleted.")
    return redirect("record-list")


@team_required()
def record_export(request, pk: int, fmt: str):
    template = get_for_user(RecordTemplate.objects, request.user, pk=pk)
    if fmt not in records_exports.FORMATS:
        raise Http404("No such format")
    records = list(
        records_visible(user=request.user, membership=request.membership)
        .filter(template=template, status=Record.Status.SAVED)
        .order_by("created_at")
    )
    content_type, ext = records_exports.FORMATS[fmt]
    response = HttpResponse(
        records_exports.export(template, records, fmt), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{template.slug}.{ext}"'
    return response


@team_required(Role.ADMIN)
def template_list(request):
    templates = templates_for(team=request.team).prefetch_related("versions")
    taken = {t.slug for t in templates}
    return render(
        request,
        "reports/records/templates.html",
        {
            "templates": templates,
            "starters": [(slug, s["name"]) for slug, s in STARTERS.items() if slug not in taken],
        },
    )


@team_required(Role.ADMIN)
def template_new(request):
    """A template from a starter (one click) or from scratch (the field editor)."""
    if request.method == "POST" and request.POST.get("starter"):
        try:
            template = services.template_from_starter(
                team=request.team, user=request.user, starter=request.POST["starter"]
            )
        except services.RecordError as exc:
            messages.error(request, str(exc))
            return redirect("record-templates")
        messages.success(request, f"{template.name} added: adjust its fields if you like.")
        return redirect("record-template-edit", pk=template.pk)
    form = TemplateForm(request.POST or None, initial={"visible_to": services.DEFAULT_VISIBLE})
    formset = FieldFormSet(request.POST or None, prefix="fields")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            template = services.template_create(
                team=request.team,
                user=request.user,
                name=form.cleaned_data["name"],
                fields=fields_from_formset(formset),
                visible_to=form.cleaned_data["visible_to"],
                use_model=form.cleaned_data["use_model"],
            )
        except services.RecordError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{template.name} created.")
            return redirect("record-templates")
    return render(
        request,
        "reports/records/template_edit.html",
        {"form": form, "formset": formset, "template": None},
        status=400 if request.method == "POST" else 200,
    )


@team_required(Role.ADMIN)
def template_edit(request, pk: int):
    template = get_for_user(RecordTemplate.objects, request.user, min_role=Role.ADMIN, pk=pk)
    current = template.current
    form = TemplateForm(
        request.POST or None,
        initial={
            "name": template.name,
            "visible_to": template.visible_to,
            "use_model": template.use_model,
        },
    )
    formset = FieldFormSet(
        request.POST or None, prefix="fields", initial=formset_initial(current.fields)
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            version = services.template_update(
                template=template,
                user=request.user,
                name=form.cleaned_data["name"],
                fields=fields_from_formset(formset),
                visible_to=form.cleaned_data["visible_to"],
                use_model=form.cleaned_data["use_model"],
            )
        except services.RecordError as exc:
            form.add_error(None, str(exc))
        else:
            note = "" if version == current else f" New records use version {version.number}."
            messages.success(request, f"{template.name} saved.{note}")
            return redirect("record-templates")
    return render(
        request,
        "reports/records/template_edit.html",
        {"form": form, "formset": formset, "template": template, "current": current},
        status=400 if request.method == "POST" else 200,
    )
