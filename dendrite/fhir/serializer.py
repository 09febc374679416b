"""The last step before a resource leaves: meta (versionId, lastUpdated, profiles) and
the security labels, and the one place where a resource may be withheld.

versionId is a digest of the resource's content: it changes exactly when what we serve
changes, for every type (most of our tables keep no version counter), so ETags and
If-None-Match work without storing history.

42 CFR Part 2 (CLINICAL.md §5.2, §12.6–12.9) plugs in here: `labels_for` marks
substance-use data (today the AUDIT, AUDIT-C and DAST-10 answers and scores) with the
confidentiality, sensitivity, policy and refrain labels; `disclose` is where a later
step will withhold labelled resources from a reader without a recorded Part 2 consent
(returning None, and the Bundle saying so) and log the disclosure. Today every reader
of the API works for the clinic (staff, or a client the clinic registered for its own
locations), and labelled resources are served with their labels."""

import hashlib
import json
from datetime import datetime
from typing import Any

SUD_INSTRUMENTS = frozenset({"audit", "audit-c", "dast-10"})
V3_CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PART2_LABELS = (
    {"system": V3_CONFIDENTIALITY, "code": "R", "display": "restricted"},
    {"system": V3_ACT_CODE, "code": "ETH", "display": "substance abuse information sensitivity"},
    {"system": V3_ACT_CODE, "code": "SUD",
     "display": "substance use disorder information sensitivity"},
    {"system": V3_ACT_CODE, "code": "42CFRPart2", "display": "42 CFR Part2"},
    {"system": V3_ACT_CODE, "code": "NORDSCLCD",
     "display": "no redisclosure without consent directive"},
)  # fmt: skip


def labels_for(instrument: str | None) -> list[dict[str, str]]:
    """Security labels of a record (by the instrument it comes from, for now)."""
    return [dict(label) for label in PART2_LABELS] if instrument in SUD_INSTRUMENTS else []


def disclose(resource: dict[str, Any], reader: object) -> dict[str, Any] | None:
    """The resource as `reader` may receive it; None to withhold it (Part 2, later)."""
    return resource


def version_of(resource: dict[str, Any]) -> str:
    content = json.dumps(resource, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(content.encode()).hexdigest()[:16]


def finish(
    resource: dict[str, Any],
    *,
    last_updated: datetime,
    profiles: list[str] | tuple[str, ...] = (),
    security: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The resource with its meta, right after its id."""
    body = {k: v for k, v in resource.items() if k not in ("resourceType", "id", "meta")}
    meta: dict[str, Any] = {
        "versionId": version_of({**body, "security": security or []}),
        "lastUpdated": last_updated.isoformat(),
    }
    if profiles:
        meta["profile"] = list(profiles)
    if security:
        meta["security"] = security
    return {"resourceType": resource["resourceType"], "id": resource["id"], "meta": meta, **body}


def etag(resource: dict[str, Any]) -> str:
    return f'W/"{resource["meta"]["versionId"]}"'
