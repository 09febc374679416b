from django.urls import include, path

app_name = "scheduling"

# One module of routes per area of the schedule, all under the scheduling: namespace.
urlpatterns = [
    path("", include("dendrite.scheduling.urls_booking")),
    path("", include("dendrite.scheduling.urls_reminders")),
    path("", include("dendrite.scheduling.urls_feeds")),
    path("", include("dendrite.scheduling.urls_waitlist")),
]
