"""The catalog and the skill list: add, import, edit, remove."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render

from assistant.models import Role
from assistant.selectors import get_for_user
from assistant.views import team_required

from . import services
from .catalog import ImportFailed, resource_from_meeting, resources_import
from .forms import ImportForm, MeetingResourceForm, ResourceForm, SkillForm
from .models import Resource, Skill


@team_required()
def catalog(request):
    """The team's resources; managers add one here (a link, a document or a meeting)."""
    is_manager = request.membership.has_role(Role.MANAGER)
    form = ResourceForm(team=request.team)
    meeting_form = MeetingResourceForm(team=request.team)
    if request.method == "POST":
        if not is_manager:
            messages.error(request, "Only managers add to the catalog.")
            return redirect("learning-catalog")
        if request.POST.get("source") == "meeting":
            meeting_form = MeetingResourceForm(request.POST, team=request.team)
            if meeting_form.is_valid():
                data = meeting_form.cleaned_data
                resource = resource_from_meeting(team=request.team, meeting=data["meeting"],
                                                 level=data["level"], skills=list(data["skills"]),
                                                 by=request.user)
                return _added(request, resource)
        else:
            form = ResourceForm(request.POST, team=request.team)
            if form.is_valid():
                form.instance.team, form.instance.created_by = request.team, request.user
                return _added(request, form.save())
    query = request.GET.get("q", "").strip()
    resources = Resource.objects.filter(team=request.team).prefetch_related("skills")
    if query:
        resources = resources.filter(Q(title__icontains=query) | Q(description__icontains=query))
    page = Paginator(resources, 50).get_page(request.GET.get("page"))
    return render(request, "learning/catalog.html", {
        "page": page, "query": query, "form": form, "meeting_form": meeting_form,
        "is_manager": is_manager}, status=400 if request.method == "POST" else 200)


def _added(request, resource: Resource):
    services.embed_queue(team=request.team, by=request.user)
    messages.success(request, f"“{resource}” is in the catalog.")
    return redirect("learning-catalog")


@team_required(Role.MANAGER)
def catalog_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = resources_import(team=request.team, name=upload.name, data=upload.read(),
                                       by=request.user)
        except ImportFailed as exc:
            errors = exc.errors
        else:
            services.embed_queue(team=request.team, by=request.user)
            messages.success(request, f"{len(created)} resources imported.")
            return redirect("learning-catalog")
    return render(request, "learning/import.html", {"form": form, "errors": errors},
                  status=400 if request.method == "POST" else 200)


@team_required()
def resource(request, pk: int):
    """One resource; managers edit or delete it."""
    item = get_for_user(Resource.objects.prefetch_related("skills"), request.user, pk=pk)
    is_manager = Resource.objects.for_user(request.user, min_role=Role.MANAGER).filter(
        pk=item.pk).exists()
    form = ResourceForm(instance=item, team=item.team)
    if request.method == "POST":
        if not is_manager:
            messages.error(request, "Only managers change the catalog.")
            return redirect("learning-resource", pk=item.pk)
        if request.POST.get("action") == "delete":
            item.delete()
            messages.info(request, f"“{item}” was removed from the catalog.")
            return redirect("learning-catalog")
        form = ResourceForm(request.POST, instance=item, team=item.team)
        if form.is_valid():
            form.save()
            services.embed_queue(team=item.team, by=request.user)
            messages.success(request, "Saved.")
            return redirect("learning-resource", pk=item.pk)
    return render(request, "learning/resource.html", {
        "item": item, "form": form, "is_manager": is_manager})


@team_required(Role.ADMIN)
def skills(request):
    form = SkillForm(request.POST or None, team=request.team)
    if request.method == "POST":
        if request.POST.get("action") == "starter":
            added = services.skills_add_starter(team=request.team)
            messages.success(request, f"{added} starter skills added.")
            services.embed_queue(team=request.team, by=request.user)
            return redirect("learning-skills")
        if form.is_valid():
            form.instance.team = request.team
            form.save()
            services.embed_queue(team=request.team, by=request.user)
            messages.success(request, f"Skill “{form.instance}” added.")
            return redirect("learning-skills")
    return render(request, "learning/skills.html", {
        "skills": Skill.objects.filter(team=request.team), "form": form})


@team_required(Role.ADMIN)
def skill(request, pk: int):
    item = get_for_user(Skill.objects, request.user, min_role=Role.ADMIN, pk=pk)
    form = SkillForm(request.POST or None, instance=item, team=item.team)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            item.delete()
            messages.info(request, f"Skill “{item}” removed, with its ratings and goals.")
            return redirect("learning-skills")
        if form.is_valid():
            form.save()
            services.embed_queue(team=item.team, by=request.user)
            messages.success(request, "Skill saved.")
            return redirect("learning-skills")
    return render(request, "learning/skill.html", {"item": item, "form": form})

