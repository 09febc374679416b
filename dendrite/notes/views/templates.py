"""The clinic's note templates: the list, and a template's sections edited (each save
is a new version; notes already written keep the version they came from)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dendrite.accounts.decorators import staff_required

from .. import actions
from ..access import TEMPLATE_ROLES, organization_of
from ..forms import SectionFormSet, template_sections
from ..models import NoteKind


def _organization(request: HttpRequest):  # type: ignore[no-untyped-def]
    organization = organization_of(request.user)
    if organization is None:
        raise Http404
    return organization


@staff_required(roles=TEMPLATE_ROLES)
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    templates = [actions.current_template(organization, kind) for kind in NoteKind.values]
    return render(request, "notes/template_list.html", {"templates": templates})


@staff_required(roles=TEMPLATE_ROLES)
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in NoteKind.values:
        raise Http404
    organization = _organization(request)
    template = actions.current_template(organization, kind)
    initial = [{**section, "ORDER": index + 1} for index, section in enumerate(template.sections)]
    formset = SectionFormSet(request.POST or None, initial=initial, prefix="sections")
    if request.method == "POST" and formset.is_valid():
        sections = template_sections(formset)
        if sections:
            saved = actions.save_template(organization, kind, sections, by=request.user)
            messages.success(request, f"Version {saved.version} of the template is saved.")
            return redirect("notes:templates")
        formset._non_form_errors = formset.error_class(["A template needs at least one section."])
    context = {"template": template, "formset": formset, "kind": NoteKind(kind)}
    return render(
        request,
        "notes/template_edit.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
