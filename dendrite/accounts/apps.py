from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dendrite.accounts"
    verbose_name = "Staff accounts"
