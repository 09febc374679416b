"""Writes of the dashboard: rebuilding the summaries its figures are read from."""

from dendrite.clinics.models import Organization

from . import refresh
from .models import Refresh


def refresh_dashboards(organization_ids: list[int] | None = None) -> list[Refresh]:
    """Rebuild the summaries of each organisation (all of them by default), each in its
    own transaction (refresh.refresh)."""
    orgs = Organization.objects.order_by("pk").values_list("pk", flat=True)
    if organization_ids is not None:
        orgs = orgs.filter(pk__in=organization_ids)
    return [refresh.refresh(pk) for pk in list(orgs)]
