"""Artifacts: upload (from a phone's camera or a laptop), download, delete.

The upload page reads its body itself: CSRF is checked by `csrf_protect` only after
`SizeLimitedUpload` is put first among the upload handlers, so a file over the limit is never
kept whole (Django's documented way to change upload handlers in a view). A refused upload
answers the form and its message before that check: it changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendoors import access
from opendoors.http import AuthenticatedRequest
from opendoors.security import private_no_store
from opendoors.uploads import attachment

from .artifacts import ArtifactRefused, SizeLimitedUpload, artifact_delete, artifact_upload
from .models import Artifact
from .portfolio_forms import NAMES_REMINDER, ArtifactForm, initial_attach_to


@require_http_methods(["GET", "POST"])
@login_required
@csrf_exempt  # checked by csrf_protect below, once the size limit is in place
def artifact_new(request: AuthenticatedRequest) -> HttpResponse:
    limit = SizeLimitedUpload(request)
    request.upload_handlers = [limit, *request.upload_handlers]
    if request.method == "POST":
        request.FILES  # noqa: B018 (reading it parses the body, through the size limit)
    if limit.refused:
        # Nothing was kept and nothing changes: the form again, with why (no CSRF needed).
        form = ArtifactForm({}, owner=request.user, refused=limit.refused)
        form.is_valid()
        return _page(request, form, status=400)
    return _artifact_new(request)


@csrf_protect
def _artifact_new(request: AuthenticatedRequest) -> HttpResponse:
    """The upload form; attached to a goal, follow-up, pre-brief or ledger entry when the
    address says so (?goal=12)."""
    owner = request.user
    if request.method != "POST":
        kind = next(
            (k for k in ("goal", "follow_up", "pre_brief", "ledger") if k in request.GET), None
        )
        initial = {"attach_to": initial_attach_to(kind, request.GET.get(kind or ""))}
        form = ArtifactForm(owner=owner, initial=initial)
        return _page(request, form)
    form = ArtifactForm(request.POST, request.FILES, owner=owner)
    if form.is_valid():
        try:
            artifact = artifact_upload(
                owner=owner,
                upload=form.upload,
                title=form.cleaned_data["title"],
                caption=form.cleaned_data["caption"],
                attachment=form.attachment,
            )
        except ArtifactRefused as refused:
            form.add_error("file", refused.messages[0])
        else:
            messages.success(request, f"“{artifact.title}” is in your portfolio.")
            return redirect(reverse("growth:portfolio") + "#artifacts-h")
    return _page(request, form, status=400)


def _page(request: AuthenticatedRequest, form: ArtifactForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "reminder": NAMES_REMINDER}
    return render(request, "growth/artifacts/new.html", context, status=status)


def artifact_response(artifact: Artifact) -> FileResponse:
    """The file as a download; a file gone from storage is 404, not a server error."""
    if not artifact.file.storage.exists(artifact.file.name):
        raise Http404("This file is no longer kept.")
    return attachment(artifact.file, filename=artifact.original_name)


@require_GET
@login_required
@private_no_store
def artifact_download(request: AuthenticatedRequest, artifact_id: int) -> FileResponse:
    """The owner's own artifact, or a pre-brief's for those who read the pre-brief."""
    return artifact_response(access.artifact_for_download(request.user, artifact_id))


@require_POST
@login_required
def artifact_remove(request: AuthenticatedRequest, artifact_id: int) -> HttpResponse:
    artifact = access.artifact_for_owner(request.user, artifact_id)
    title = artifact.title
    artifact_delete(artifact=artifact)
    messages.success(request, f"“{title}” was deleted, with its file.")
    return redirect(reverse("growth:portfolio") + "#artifacts-h")
