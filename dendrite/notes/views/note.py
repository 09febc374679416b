"""One note: a new one from the template and the chart, its page (the draft saved or
signed), the co-signature and addenda."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dendrite.accounts.decorators import staff_required
from dendrite.accounts.models import Role
from dendrite.accounts.step_up import StepUp

from .. import actions, svgchart
from ..access import (
    COSIGN_ROLES,
    READ_ROLES,
    get_note_appointment_for,
    get_note_for,
    get_note_patient_for,
    may_write,
)
from ..forms import AddendumForm, CosignForm, NoteForm
from ..models import Note, NoteKind, NoteStatus

WRITTEN_BY_PRESCRIBERS = (NoteKind.CONSULTATION, NoteKind.FOLLOW_UP)


def attempt(form: Any, action: Any) -> Any:
    """Run the action on a valid form; a refusal lands on the form (on its field when
    it names one). Nothing is saved when it is refused: the action is atomic."""
    if not form.is_valid():
        return None
    try:
        return action()
    except actions.Refused as refused:
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        return None


def _charts(note: Note) -> list[Any]:
    """Each block of the record with its chart's geometry (None where it has none)."""
    shown = []
    for block in note.record.get("blocks", []):
        chart = block.get("chart")
        geometry = chart and svgchart.geometry(chart["minutes"], chart["series"])
        shown.append((block, geometry))
    return shown


def _page(request: HttpRequest, shown: Note, status: int = 200, **bound: Any) -> HttpResponse:
    """The note's page; `bound` holds forms sent back with their errors."""
    forms, note = dict(bound), shown
    user, step_up = request.user, StepUp(request)
    if note.status == NoteStatus.DRAFT and note.author_id == user.pk and "note" not in forms:
        forms["note"] = NoteForm(sections=note.sections, step_up=step_up, signing=False)
    may_cosign = (note.needs_cosign and note.status == NoteStatus.SIGNED
                  and user.role in COSIGN_ROLES and user.pk != note.author_id)  # fmt: skip
    if may_cosign and "cosign" not in forms:
        forms["cosign"] = CosignForm(step_up=step_up)
    if note.is_locked and "addendum" not in forms:
        forms["addendum"] = AddendumForm()
    context = {"note": note, "blocks": _charts(note), "addenda": list(note.addenda.all()),
               "forms": forms}  # fmt: skip
    return render(request, "notes/note.html", context, status=status)


@staff_required(roles=[Role.PRESCRIBER])
@require_http_methods(["GET", "POST"])
def note_new(request: HttpRequest, patient_pk: int, kind: str) -> HttpResponse:
    if kind not in WRITTEN_BY_PRESCRIBERS:
        raise Http404
    patient = get_note_patient_for(request.user, patient_pk)
    appointment = None
    if "appointment" in request.GET:
        appointment = get_note_appointment_for(request.user, request.GET["appointment"])
        if appointment.patient_id != patient.pk:
            raise Http404
        draft = actions.draft_for(appointment, kind, request.user)
        if draft is not None:
            return redirect("notes:note", draft.pk)
    template, sections = actions.draft_sections(patient, kind)
    signing = "sign" in request.POST
    form = NoteForm(request.POST or None, sections=sections, step_up=StepUp(request),
                    signing=signing)  # fmt: skip

    def start() -> Note:
        note = actions.start_note(patient, kind, by=request.user, appointment=appointment,
                                  texts=form.texts())  # fmt: skip
        return actions.sign(note, form.texts(), by=request.user) if signing else note

    if request.method == "POST" and (note := attempt(form, start)):
        messages.success(request, "The note is signed." if signing else "The draft is saved.")
        return redirect("notes:note", note.pk)
    context = {"patient": patient, "appointment": appointment, "kind": NoteKind(kind),
               "template": template, "form": form}  # fmt: skip
    return render(request, "notes/note_new.html", context, status=400 if form.errors else 200)


@staff_required(roles=READ_ROLES)
@require_http_methods(["GET", "POST"])
def note_page(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _page(request, get_note_for(request.user, pk))
    note = get_note_for(request.user, pk, "edit")
    if not may_write(request.user, note.kind):
        raise Http404
    signing = "sign" in request.POST
    form = NoteForm(request.POST, sections=note.sections, step_up=StepUp(request),
                    signing=signing)  # fmt: skip
    act = actions.sign if signing else actions.save_draft
    if attempt(form, lambda: act(note, form.texts(), by=request.user)):
        messages.success(request, "The note is signed." if signing else "The draft is saved.")
        return redirect("notes:note", note.pk)
    return _page(request, note, status=400, note=form)


@staff_required(roles=COSIGN_ROLES)
@require_POST
def cosign(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_note_for(request.user, pk, "cosign")
    form = CosignForm(request.POST, step_up=StepUp(request))
    if attempt(form, lambda: actions.cosign(note, by=request.user)):
        messages.success(request, "The note is co-signed.")
        return redirect("notes:note", note.pk)
    return _page(request, note, status=400, cosign=form)


@staff_required(roles=READ_ROLES)
@require_POST
def addendum(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_note_for(request.user, pk, "addendum")
    form = AddendumForm(request.POST)
    if attempt(form, lambda: actions.add_addendum(note, by=request.user, **form.cleaned_data)):
        messages.success(request, "The addendum is added beneath the note.")
        return redirect("notes:note", note.pk)
    return _page(request, note, status=400, addendum=form)
