"""Knowledge base pages: the team's documents and meetings, upload, delete, one passage."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .knowledge import FORMATS, KnowledgeError, knowledge_document_put, knowledge_source_remove
from .models import KnowledgeChunk, KnowledgeSource, Role
from .selectors import get_for_user
from .views import team_required

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@team_required()
def kb_list(request):
    """Every source of the team; managers and admins add documents here."""
    can_edit = request.membership.has_role(Role.MANAGER)
    if request.method == "POST":
        if not can_edit:
            return redirect("kb-list")
        files = request.FILES.getlist("documents")
        if not files:
            messages.error(request, "Choose one or more files to add.")
        for upload in files:
            if upload.size > MAX_DOCUMENT_BYTES:
                messages.error(request, f"{upload.name} is larger than 20 MB.")
                continue
            try:
                source = knowledge_document_put(team=request.team, user=request.user,
                                                name=upload.name, data=upload.read())
            except KnowledgeError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"{source.title}: {source.chunks.count()} passages "
                                          "are being indexed.")
        return redirect("kb-list")
    sources = (KnowledgeSource.objects.filter(team=request.team)
               .select_related("job", "added_by").order_by("kind", "title"))
    return render(request, "assistant/kb/list.html", {
        "sources": sources, "can_edit": can_edit,
        "accept": ",".join(FORMATS), "indexing": any(s.status == "embedding" for s in sources)})


@team_required(Role.MANAGER)
@require_POST
def kb_delete(request, pk: int):
    source = get_for_user(KnowledgeSource.objects, request.user, min_role=Role.MANAGER, pk=pk)
    knowledge_source_remove(source=source)
    messages.success(request, f"{source.title} and its passages were removed.")
    return redirect("kb-list")


@team_required()
def kb_passage(request, pk: int):
    """A cited passage shown in its document, with the passages around it."""
    chunk = get_for_user(KnowledgeChunk.objects.select_related("source"), request.user, pk=pk)
    around = chunk.source.chunks.filter(index__gte=chunk.index - 2, index__lte=chunk.index + 2)
    return render(request, "assistant/kb/passage.html", {
        "chunk": chunk, "source": chunk.source, "around": around})
