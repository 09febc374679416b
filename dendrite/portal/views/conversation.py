"""Secure messages: the patient's thread with their clinic's team, and the staff inbox
of each location (waiting threads, who has them, when an answer is due)."""

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dendrite.accounts.decorators import staff_required

from .. import access, actions, auth
from ..forms import AssignForm, MessageForm, StaffReplyForm
from ..models import Message


@require_http_methods(["GET", "POST"])
@auth.patient_required
def thread(request: HttpRequest) -> HttpResponse:
    portal = auth.portal_of(request)
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            actions.send_patient_message(portal.patient, data["body"], data["attachment"])
            messages.success(request, _("Your message is sent. The team will answer here."))
            return redirect("portal:messages")
    else:
        form = MessageForm()
    conversation = access.my_conversation(portal)
    if conversation is not None:
        actions.seen_by_patient(conversation)
    context = {"form": form, "conversation": conversation, "clinic": portal.patient.location}
    return render(request, "portal/conversation.html", context, status=400 if form.errors else 200)


@staff_required(roles=access.MESSAGE_ROLES)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    threads = access.inbox_for(request.user)
    return render(request, "portal/staff_inbox.html", {"threads": threads, "now": timezone.now()})


@staff_required(roles=access.MESSAGE_ROLES)
@require_http_methods(["GET", "POST"])
def staff_thread(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = access.get_conversation_for(request.user, pk)
    team = access.team_at(conversation)
    if request.method == "POST":
        form = StaffReplyForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            _message, channels = actions.staff_reply(
                conversation, by=request.user, body=data["body"], attachment=data["attachment"]
            )
            if channels:
                messages.success(request, "Your reply is sent; the patient is told to sign in.")
            else:
                messages.warning(
                    request,
                    "Your reply is saved, but the patient has no e-mail or text consent: "
                    "please let them know another way.",
                )
            return redirect("portal:staff_thread", pk=conversation.pk)
    else:
        form = StaffReplyForm()
    context = {
        "conversation": conversation,
        "form": form,
        "assign_form": AssignForm(initial={"assignee": conversation.assignee_id}, team=team),
    }
    return render(request, "portal/staff_thread.html", context, status=400 if form.errors else 200)


@staff_required(roles=access.MESSAGE_ROLES)
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = access.get_conversation_for(request.user, pk)
    form = AssignForm(request.POST, team=access.team_at(conversation))
    if form.is_valid():
        actions.assign_conversation(
            conversation, by=request.user, assignee=form.cleaned_data["assignee"]
        )
        messages.success(request, "The thread's assignment is saved.")
    else:
        messages.error(request, "Please choose someone from this location's team.")
    return redirect("portal:staff_thread", pk=conversation.pk)


def _file(message: Message) -> FileResponse:
    response = FileResponse(
        message.attachment.open("rb"),
        content_type=message.attachment_type,
        # A PDF may carry scripts and forms: saved, never opened inside the site.
        as_attachment=message.attachment_type == "application/pdf",
        filename=message.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@require_GET
@auth.patient_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    return _file(access.my_attachment(auth.portal_of(request), pk))


@staff_required(roles=access.MESSAGE_ROLES)
@require_GET
def staff_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    return _file(access.staff_attachment(request.user, pk))
