from django.urls import path

from . import note
from .views import aftercare, chairside, check, discharge, dose, monitoring, orders, pump

app_name = "infusions"

urlpatterns = [
    path("infusions/visits/<int:pk>/", chairside.chairside, name="chairside"),
    path("infusions/visits/<int:pk>/check/", check.check, name="check"),
    path("infusions/visits/<int:pk>/hold/", check.hold, name="hold"),
    path("infusions/visits/<int:pk>/titrate/", dose.titrate, name="titrate"),
    path("infusions/visits/<int:pk>/prepare/", dose.prepare, name="prepare"),
    path("infusions/visits/<int:pk>/verify/", dose.verify, name="verify"),
    path("infusions/visits/<int:pk>/start/", pump.start, name="start"),
    path("infusions/visits/<int:pk>/pause/", pump.pause, name="pause"),
    path("infusions/visits/<int:pk>/resume/", pump.resume, name="resume"),
    path("infusions/visits/<int:pk>/stop/", pump.stop, name="stop"),
    path("infusions/visits/<int:pk>/vitals/", monitoring.record_vitals, name="vitals"),
    path(
        "infusions/visits/<int:pk>/adverse-events/", monitoring.adverse_event, name="adverse_event"
    ),
    path("infusions/visits/<int:pk>/discharge/", discharge.discharge, name="discharge"),
    path("infusions/visits/<int:pk>/note/", note.start_note, name="note"),
    path("infusions/visits/<int:pk>/after-care/", discharge.instructions, name="aftercare"),
    path(
        "infusions/visits/<int:pk>/after-care.pdf", aftercare.instructions_pdf, name="aftercare_pdf"
    ),
    path("infusions/alerts/<int:pk>/acknowledge/", monitoring.acknowledge, name="acknowledge"),
    path("patients/<int:patient_pk>/infusion-orders/", orders.order_list, name="orders"),
    path("patients/<int:patient_pk>/infusion-orders/new/", orders.order_new, name="order_new"),
    path("infusion-orders/<int:pk>/revise/", orders.order_revise, name="order_revise"),
]
