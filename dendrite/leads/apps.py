from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "dendrite.leads"
    verbose_name = "Leads"
