"""The after-care sheet as a PDF, in English or Spanish (the printable page is
discharge.instructions); the file name never carries the patient's name."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from dendrite.accounts.decorators import staff_required
from dendrite.pdf import pdf_response

from .. import aftercare
from ..access import CHAIRSIDE_ROLES, get_visit_for


@staff_required(roles=CHAIRSIDE_ROLES)
@require_GET
def instructions_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_visit_for(request.user, pk, "aftercare_pdf")
    lang = aftercare.language(request.GET.get("lang"))
    context = {
        "appointment": appointment, "location": appointment.location,
        "text": aftercare.TEXT[lang], "pdf_language": lang,
    }  # fmt: skip
    return pdf_response("infusions/aftercare_pdf.html", context, f"after-care-{lang}.pdf")
