"""Loading the rules: `rulesets.json` holds every version of every scheme; each is loaded once, never changed.

A new version of the law is a new entry in the file (a higher version number, its date in force) and
a data migration that calls `rulesets_load`. Loading refuses to change a version already loaded, so
decisions keep the rules they were made under.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

RULESETS_FILE = Path(__file__).with_name("rulesets.json")


def rulesets_data() -> list[dict[str, Any]]:
    return list(json.loads(RULESETS_FILE.read_text(encoding="utf-8")))


def rulesets_load(ruleset_model: Any, rule_model: Any, data: list[dict[str, Any]] | None = None) -> int:
    """Add the versions not yet loaded; refuse a loaded version whose rules differ. Returns how many were added.

    Takes the models so that a migration can pass its historical ones.
    """
    added = 0
    for entry in data if data is not None else rulesets_data():
        existing = ruleset_model.objects.filter(scheme=entry["scheme"], version=entry["version"]).first()
        if existing is not None:
            loaded = sorted(existing.rules.values_list("code", "value", "citation", "confirmed"), key=lambda r: r[0])
            wanted = sorted((r["code"], r["value"], r["citation"], r["confirmed"]) for r in entry["rules"])
            if [list(r) for r in loaded] != [list(r) for r in wanted] or existing.in_force_from != date.fromisoformat(
                entry["in_force_from"]
            ):
                raise ValueError(
                    f"Rule set {entry['scheme']} v{entry['version']} is already loaded with other rules: "
                    "add a new version instead of changing it."
                )
            continue
        ruleset = ruleset_model.objects.create(
            scheme=entry["scheme"],
            version=entry["version"],
            in_force_from=date.fromisoformat(entry["in_force_from"]),
            title=entry["title"],
            source_note=entry.get("source_note", ""),
        )
        rule_model.objects.bulk_create(
            rule_model(
                ruleset=ruleset,
                code=r["code"],
                kind=r["kind"],
                label=r["label"],
                value=r["value"],
                citation=r["citation"],
                source_url=r.get("source_url", ""),
                confirmed=r["confirmed"],
                note=r.get("note", ""),
            )
            for r in entry["rules"]
        )
        added += 1
    return added
