from django.urls import path

from . import views

app_name = "website"

urlpatterns = [
    path("", views.home, name="home"),
    path("ketamine-for-depression-and-anxiety/", views.depression, name="depression"),
    path("ketamine-for-alcohol-and-substance-use/", views.substance_use, name="substance_use"),
    path("your-infusion-day/", views.infusion_day, name="infusion_day"),
    path("locations/", views.locations, name="locations"),
    path("questions/", views.faq, name="faq"),
    path("privacy/", views.privacy, name="privacy"),
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.thanks, name="thanks"),
]
