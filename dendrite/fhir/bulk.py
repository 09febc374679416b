"""Bulk Data `$export` (CLINICAL.md §12.4): the kick-off's checks and the export itself.

The export reads every table of the requested types through access.py's sources (the
same scoping, mapping, labels and Part 2 hook as a search), a fixed chunk at a time, and
writes one NDJSON file per type: memory stays flat however large the clinic. One audit
entry names the job and how many resources of each type left."""

import json
import shutil
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from dendrite.clinics.models import Location
from dendrite.queue import enqueue_with_transaction

from . import access, actions, scopes
from .access import Kind, Reader, Source
from .models import Client, ExportJob
from .search import BadRequest, parse_date

FORMATS = frozenset({"application/fhir+ndjson", "application/ndjson", "ndjson"})
UNSUPPORTED = ("_elements", "_typeFilter", "patient", "includeAssociatedData")
CHUNK = 2000


def folder(job: ExportJob) -> Path:
    return Path(settings.FHIR_EXPORT_ROOT) / str(job.public_id)


def kick_off(
    reader: Reader, level: str, params: Iterable[tuple[str, str]], request_url: str,
    group: str | None = None,
) -> ExportJob:  # fmt: skip
    """Check the request and queue the export; BadRequest, access.NotFound or
    access.Forbidden otherwise."""
    if reader.client_id is None:
        raise access.Forbidden("Bulk export is for registered backend clients.")
    pairs = list(params)
    names = {name for name, _ in pairs}
    for name in UNSUPPORTED:
        if name in names:
            raise BadRequest(f"The export parameter {name} is not supported.")
    unknown = names - {"_outputFormat", "_type", "_since"}
    if unknown:
        raise BadRequest(f"Unknown export parameter: {', '.join(sorted(unknown))}.")
    values = dict(pairs)
    if values.get("_outputFormat", "application/fhir+ndjson") not in FORMATS:
        raise BadRequest("_outputFormat must be application/fhir+ndjson.")
    allowed = [
        kind.name
        for kind in access.KINDS.values()
        if level == "system" or kind.name in access.PATIENT_DATA
    ]
    if "_type" in values:
        asked = [t for t in values["_type"].split(",") if t]
        if not asked or any(t not in allowed for t in asked):
            raise BadRequest(f"_type may name only: {', '.join(allowed)}.")
        refused = [t for t in asked if not reader.may(t, scopes.SEARCH)]
        if refused:
            raise access.Forbidden(f"The token's scopes do not cover {', '.join(refused)}.")
        types = asked
    else:
        types = [t for t in allowed if reader.may(t, scopes.SEARCH)]
        if not types:
            raise access.Forbidden("The token's scopes cover no resource type.")
    since = None
    if "_since" in values:
        try:
            since = parse_date(values["_since"])[1]
        except ValueError as error:
            raise BadRequest("_since must be a FHIR instant.") from error
    location = None
    if level == "group":
        location = Location.objects.filter(
            pk=int(group) if group and group.isdigit() else 0, pk__in=reader.location_ids
        ).first()
        if location is None:
            raise access.NotFound(f"Group/{group} is not known.")
    with transaction.atomic():
        job = ExportJob.objects.create(
            public_id=uuid.uuid4(),
            client=Client.objects.get(pk=reader.client_id),
            scopes=reader.scopes,
            level=level,
            group_location=location,
            types=" ".join(types),
            since=since,
            request_url=request_url[:2000],
            requested_at=timezone.now(),
        )
        enqueue_with_transaction(run_export, job_id=job.pk)
    return job


def reader_of(job: ExportJob) -> Reader:
    client = job.client
    locations = frozenset(
        client.locations.filter(organization_id=client.organization_id).values_list("id", flat=True)
    )
    if job.group_location_id is not None:
        locations &= {job.group_location_id}
    consents, covered = access.part2_in_force(client.pk)
    return Reader(
        client.name, locations, job.scopes, client_id=client.pk,
        part2=consents, part2_records=covered,
    )  # fmt: skip


def rows_of(kind: Kind, reader: Reader, job: ExportJob) -> Iterator[tuple[Source, Any]]:
    for source in kind.sources:
        rows = source.rows(reader.location_ids)
        if job.since is not None and source.updated_field:
            rows = rows.filter(**{f"{source.updated_field}__gt": job.since})
        for row in rows.iterator(chunk_size=CHUNK):
            yield source, row


def resources_of(
    kind: Kind, reader: Reader, job: ExportJob, tally: dict[int, Counter[str]] | None = None
) -> Iterator[dict[str, Any]]:
    """The served resources of one type; Part 2 resources a client may receive are
    counted per patient in `tally` (the accounting of disclosures)."""
    if kind.name == "Questionnaire":
        from dendrite.instruments import loader

        for code in loader.instrument_codes():
            yield access.questionnaire(code)
        return
    for source, row in rows_of(kind, reader, job):
        served = access.serve(source, row, reader)
        if served is not None:
            patient_id = source.patient_of(row)
            if (
                tally is not None
                and patient_id is not None
                and access.disclosed(source, row, reader)
            ):
                tally.setdefault(patient_id, Counter())[kind.name] += 1
            yield served


@task()
def run_export(job_id: int) -> None:
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, transaction_time=timezone.now()
    )
    if not claimed:
        return  # cancelled, or run already
    job = ExportJob.objects.select_related("client").get(pk=job_id)
    reader = reader_of(job)
    target = folder(job)
    target.mkdir(parents=True, exist_ok=True)
    output = []
    tally: dict[int, Counter[str]] = {}
    try:
        types = job.types.split()
        for number, name in enumerate(types, start=1):
            count = 0
            path = target / f"{name}.ndjson"
            with path.open("w", encoding="utf-8") as out:
                for resource in resources_of(access.KINDS[name], reader, job, tally):
                    out.write(json.dumps(resource, separators=(",", ":")))
                    out.write("\n")
                    count += 1
            if count:
                output.append({"type": name, "name": path.name, "count": count})
            else:
                path.unlink()
            progress = f"{number} of {len(types)} resource types written"
            ExportJob.objects.filter(pk=job.pk).update(progress=progress)
    except Exception:
        shutil.rmtree(target, ignore_errors=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now(), output=[]
        )
        raise
    now = timezone.now()
    with transaction.atomic():
        finished = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.DONE,
            finished_at=now,
            expires_at=now + timedelta(hours=settings.FHIR_EXPORT_HOURS),
            output=output,
        )
        if not finished:  # cancelled while running
            shutil.rmtree(target, ignore_errors=True)
            return
        access.audit(
            reader,
            "fhir.bulk.export",
            object_id=str(job.public_id),
            ids=[f"{o['type']}:{o['count']}" for o in output],
        )
        if tally and reader.part2 is not None and reader.client_id is not None:
            actions.record_disclosures(reader.client_id, tally, reader.part2)


def cancel(job: ExportJob) -> None:
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.CANCELLED)
    shutil.rmtree(folder(job), ignore_errors=True)


def sweep() -> int:
    """Remove the exports past their time (and cancelled or failed ones a day old)."""
    now = timezone.now()
    old = ExportJob.objects.filter(expires_at__lt=now) | ExportJob.objects.filter(
        status__in=[ExportJob.Status.CANCELLED, ExportJob.Status.FAILED],
        requested_at__lt=now - timedelta(days=1),
    )
    removed = 0
    for job in old:
        shutil.rmtree(folder(job), ignore_errors=True)
        job.delete()
        removed += 1
    return removed
