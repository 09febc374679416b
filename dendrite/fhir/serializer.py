"""The last step before a resource leaves: meta (versionId, lastUpdated, profiles) and
the security labels, and the one place where a resource may be withheld.

versionId is a digest of the resource's content: it changes exactly when what we serve
changes, for every type (most of our tables keep no version counter), so ETags and
If-None-Match work without storing history.

42 CFR Part 2 (CLINICAL.md §5.2, §12.6–12.9) plugs in here: `labels_for` marks
substance-use data (the AUDIT, AUDIT-C and DAST-10 answers and scores, and the Part 2
consents themselves) with the confidentiality, sensitivity, policy and refrain labels;
`disclose` withholds a labelled resource (None) from a registered client that holds no
Part 2 consent in force for the patient, and marks what it does disclose with the
redisclosure notice of 42 CFR 2.32: the NORDSCLCD refrain label in meta.security (always
there) plus a meta.tag whose display is the notice's text, so the notice travels with
each resource, in a Bundle, on a direct read and in bulk NDJSON alike. Staff reading
through their session are the clinic's own use, not a disclosure: unfiltered."""

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


NOTICE_SYSTEM = "https://dendrite.example/fhir/CodeSystem/notice"
# 42 CFR 2.32(a)(2), the short form of the notice:
REDISCLOSURE_NOTICE = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
NOTICE_TAG = {"system": NOTICE_SYSTEM, "code": "42cfr2-redisclosure",
              "display": REDISCLOSURE_NOTICE}  # fmt: skip


def is_part2(resource: dict[str, Any]) -> bool:
    return any(s.get("code") == "42CFRPart2" for s in resource.get("meta", {}).get("security", []))


def disclose(
    resource: dict[str, Any], *, to_client: bool, consented: bool
) -> dict[str, Any] | None:
    """The resource as a reader may receive it: unchanged for the clinic's own use
    (`to_client` False) or unlabelled data; for a client, a Part 2 resource with the
    redisclosure notice if the patient consented, else None (withheld)."""
    if not to_client or not is_part2(resource):
        return resource
    if not consented:
        return None
    meta = dict(resource["meta"])
    meta["tag"] = [*meta.get("tag", []), dict(NOTICE_TAG)]
    return {**resource, "meta": meta}


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
