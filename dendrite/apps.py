from django.contrib.admin.apps import AdminConfig


class DendriteAdminConfig(AdminConfig):
    """The admin, with Dendrite's site: second factor required and every change audited."""

    default_site = "dendrite.admin.DendriteAdminSite"
