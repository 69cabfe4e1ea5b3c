"""The section ``process_chains:`` of a Träger's configuration file (``lotse loadconfig``).

Called by the loader (``directory.config``): :func:`check` during validation (references with
file line numbers), :func:`apply` inside the load's transaction. A chain is identified by its
key, a step by its key within the chain. A file without the section keeps the stored chains;
with it, the file is the truth: chains and steps missing from it are removed, and edits made in
the portal are overwritten by the next load (export them to the file first).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lotse.portal.models import ProcessChain, ProcessStep

SECTION = "process_chains"


def check(checker: Any) -> None:
    """Cross-references of the section; ``checker`` is the loader's ``_Checker``."""
    chain_keys: set[str] = set()
    for item, path in checker.section(SECTION):
        checker._unique_in(chain_keys, item, path)
        checker.ref(
            "field_of_action",
            item.get("field_of_action"),
            (*path, "field_of_action"),
            _("Field of action"),
        )
        step_keys: set[str] = set()
        steps = item.get("steps") or []
        for index, step in enumerate(steps):
            checker._unique_in(step_keys, step, (*path, "steps", index))
        for index, step in enumerate(steps):
            s_path = (*path, "steps", index)
            checker.ref(
                "organisation",
                step.get("responsible_organisation"),
                (*s_path, "responsible_organisation"),
                _("Organisation"),
            )
            for n_index, branch in enumerate(step.get("next") or []):
                target = branch.get("step")
                if isinstance(target, str) and target not in step_keys:
                    checker.add(
                        (*s_path, "next", n_index, "step"),
                        # de: Der Schritt „{key}“ ist in dieser Prozesskette unbekannt.
                        _("The step “{key}” is unknown in this process chain.").format(key=target),
                    )


def apply(applier: Any, doc: dict[str, Any]) -> None:
    """Write the section; ``applier`` is the loader's ``_Applier`` (inside its transaction)."""
    items = doc.get(SECTION)
    if items is None:
        return
    counts = applier.report.sections[SECTION]
    traeger = applier.traeger
    existing = {chain.key: chain for chain in ProcessChain.objects.filter(traeger=traeger)}
    wanted: set[str] = set()
    for index, item in enumerate(items):
        wanted.add(item["key"])
        values = {
            "title": item["title"],
            "description": item.get("description", ""),
            "target_group": item.get("target_group", ""),
            "field_of_action_id": applier.pk("fields_of_action", item.get("field_of_action")),
            "sort_order": index,
        }
        chain = existing.get(item["key"])
        changed = False
        if chain is None:
            chain = ProcessChain.objects.create(traeger=traeger, key=item["key"], **values)
            counts.created += 1
        else:
            fields = [name for name, value in values.items() if getattr(chain, name) != value]
            for name in fields:
                setattr(chain, name, values[name])
            if fields:
                chain.save()
                changed = True
        changed = _apply_steps(applier, chain, item.get("steps") or []) or changed
        if item["key"] in existing:
            if changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
    for key, chain in existing.items():
        if key not in wanted:
            chain.delete()
            counts.removed += 1


def _apply_steps(applier: Any, chain: ProcessChain, steps: list[dict[str, Any]]) -> bool:
    existing = {step.key: step for step in chain.steps.all()}
    changed = False
    for order, item in enumerate(steps):
        values = {
            "title": item["title"],
            "order": order,
            "responsible_organisation_id": applier.pk(
                "organisations", item.get("responsible_organisation")
            ),
            "responsible_text": item.get("responsible", ""),
            "deadline": item.get("deadline", ""),
            "description": item.get("description", ""),
            "next_steps": [
                {"step": b["step"], "condition": b.get("condition", "")}
                for b in item.get("next") or []
            ],
        }
        step = existing.pop(item["key"], None)
        if step is None:
            ProcessStep.objects.create(
                traeger=chain.traeger, chain=chain, key=item["key"], **values
            )
            changed = True
            continue
        fields = [name for name, value in values.items() if getattr(step, name) != value]
        for name in fields:
            setattr(step, name, values[name])
        if fields:
            step.save()
            changed = True
    for step in existing.values():
        step.delete()
        changed = True
    return changed


def dump(traeger: Any) -> list[dict[str, Any]]:
    """The section as the dumper writes it (``lotse dumpconfig``): portal edits go to the file."""

    def compact(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        return {k: v for k, v in pairs if v not in (None, "", [], {})}

    chains = (
        ProcessChain.objects.filter(traeger=traeger)
        .select_related("field_of_action")
        .prefetch_related("steps__responsible_organisation")
        .order_by("sort_order", "title")
    )
    return [
        compact(
            [
                ("key", chain.key),
                ("title", chain.title),
                ("target_group", chain.target_group),
                ("field_of_action", chain.field_of_action.key if chain.field_of_action else None),
                ("description", chain.description),
                (
                    "steps",
                    [
                        compact(
                            [
                                ("key", step.key),
                                ("title", step.title),
                                (
                                    "responsible_organisation",
                                    step.responsible_organisation.key
                                    if step.responsible_organisation
                                    else None,
                                ),
                                ("responsible", step.responsible_text),
                                ("deadline", step.deadline),
                                ("description", step.description),
                                (
                                    "next",
                                    [
                                        compact(
                                            [("step", b["step"]), ("condition", b.get("condition"))]
                                        )
                                        for b in step.next_steps
                                    ],
                                ),
                            ]
                        )
                        for step in sorted(chain.steps.all(), key=lambda s: (s.order, s.pk))
                    ],
                ),
            ]
        )
        for chain in chains
    ]
