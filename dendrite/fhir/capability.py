"""The CapabilityStatement and the SMART configuration: built from access.KINDS, so
they list exactly what is served."""

from datetime import datetime
from typing import Any

from .access import KINDS, REFERENCE_DATA, Kind
from .auth import ALGORITHMS
from .search import COMMON, MAX_COUNT

PARAM_TYPES = {"reference": "reference", "date": "date", "token": "token"}
BULK = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/"
SMART = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"


def _profiles(kind: Kind) -> list[str]:
    if kind.name == "Observation":
        from . import mapping

        names = sorted(set(mapping.VITAL_PROFILES.values()))
        return [
            mapping.US_CORE + "us-core-observation-screening-assessment",
            *(mapping.CORE + name for name in names),
            *(mapping.US_CORE + mapping.US_CORE_VITALS[name] for name in names),
        ]
    found: list[str] = []
    for source in kind.sources:
        found += [p for p in source.profiles({"code": {"coding": [{"code": ""}]}}) if p]
    return sorted(set(found))


def capability_statement(base: str, token_url: str, now: datetime) -> dict[str, Any]:
    resources = []
    for kind in KINDS.values():
        params = {**COMMON, **kind.params}
        entry: dict[str, Any] = {
            "type": kind.name,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "versioning": "versioned",
            "readHistory": False,
            "searchParam": [
                {"name": name, "type": PARAM_TYPES[kind_]} for name, kind_ in params.items()
            ],
        }
        if profiles := _profiles(kind):
            entry["supportedProfile"] = profiles
        includes = [f"{kind.name}:{n}" for n, k in kind.params.items() if k == "reference"]
        if includes:
            entry["searchInclude"] = includes
        if kind.name == "Patient":
            entry["operation"] = [{"name": "export", "definition": BULK + "patient-export"}]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "id": "dendrite",
        "meta": {"lastUpdated": REFERENCE_DATA.isoformat()},
        "status": "active",
        "date": now.date().isoformat(),
        "publisher": "Dendrite",
        "kind": "instance",
        "software": {"name": "Dendrite"},
        "implementation": {"description": "Dendrite FHIR R4 API", "url": base},
        "instantiates": ["http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"],
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "documentation": f"Searches return at most {MAX_COUNT} entries a page "
                "(_count is capped); follow the Bundle's next link for more.",
                "security": {
                    "extension": [{"url": SMART, "extension": [
                        {"url": "token", "valueUri": token_url},
                    ]}],
                    "service": [{"coding": [{
                        "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                        "code": "SMART-on-FHIR",
                    }]}],
                    "description": "SMART Backend Services: client_credentials with a "
                    "private_key_jwt assertion (RS384 or ES384); system scopes.",
                },
                "resource": resources,
                "operation": [{"name": "export", "definition": BULK + "export"}],
            }
        ],
    }  # fmt: skip


def smart_configuration(token_url: str) -> dict[str, Any]:
    return {
        "token_endpoint": token_url,
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": list(ALGORITHMS),
        "scopes_supported": ["system/*.rs", "system/*.read"]
        + [f"system/{name}.rs" for name in KINDS],
        "capabilities": ["client-confidential-asymmetric", "permission-v2", "permission-v1"],
    }
