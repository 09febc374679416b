from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst

from .models import Chair, Closure, Location, OpeningHours, Organization

# Filter by location, offering only the locations the admin's rows are at (the plain
# filter would list every location of the organisation).
LOCATION_FILTER = ("location", admin.RelatedOnlyFieldListFilter)


class LocationScopedAdmin(admin.ModelAdmin):
    """A clinic admin sees and edits only the records of their own locations.

    `location_path` names the lookup from the model to its location's id.
    """

    location_path = "location_id"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.location_path}__in": request.user.location_ids})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "location" and not request.user.is_superuser:
            kwargs["queryset"] = Location.objects.filter(pk__in=request.user.location_ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organization)
class OrganizationAdmin(LocationScopedAdmin):
    list_display = ["name", "slug", "mrn_prefix"]
    prepopulated_fields = {"slug": ["name"]}
    location_path = "locations__id"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).distinct()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs carry their column's name: Django's table shows it
    only in the header, which leaves every input without a label (axe, WCAG 1.3.1)."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", capfirst(db_field.verbose_name))
        return field

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):  # type: ignore[valid-type,misc]
            def add_fields(self, form: Any, index: Any) -> None:
                super().add_fields(form, index)
                if "DELETE" in form.fields:
                    form.fields["DELETE"].widget.attrs["aria-label"] = "Delete"

        return Labelled


class OpeningHoursInline(LabelledTabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(LabelledTabularInline):
    model = Closure
    extra = 0


class ChairInline(LabelledTabularInline):
    model = Chair
    extra = 0


@admin.register(Location)
class LocationAdmin(LocationScopedAdmin):
    list_display = ["name", "city", "state", "phone", "time_zone", "is_active"]
    list_filter = ["is_active", "organization"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline, ClosureInline, ChairInline]
    location_path = "id"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new location starts with no staff; a superuser sets it up and adds its admins.
        return request.user.is_superuser


@admin.register(Chair)
class ChairAdmin(LocationScopedAdmin):
    list_display = ["name", "location", "is_active"]
    list_filter = [LOCATION_FILTER, "is_active"]


@admin.register(Closure)
class ClosureAdmin(LocationScopedAdmin):
    list_display = ["reason", "location", "start_date", "end_date"]
    list_filter = [LOCATION_FILTER]
