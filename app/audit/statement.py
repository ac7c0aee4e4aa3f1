"""The statement an attesting official signs: plain, or qualified by the matters excepted."""

from __future__ import annotations

from app.records import AuditView, Statement, formal_name


def attestation_statement(view: AuditView) -> Statement:
    """The statement for `view`, qualified when the audit's answers except some matters."""
    audit, checklist = view.audit, view.checklist.checklist
    who = formal_name(audit.jurisdiction)
    intro = f"I, the undersigned, attest on behalf of {who} that:"
    items = [
        f"I have reviewed this audit of whether the driver's license and vehicle records "
        f"held by {who} can be reached by federal immigration enforcement, for the period "
        f"{audit.period_start} to {audit.period_end}, conducted against the checklist "
        f"“{checklist.title}” ({audit.checklist_id}, version {audit.checklist_version});",
        "to the best of my knowledge, information and belief, formed after reasonable "
        "inquiry, the answers recorded in this audit are true and complete, and its findings "
        "are set out in full in this document; and",
    ]
    excepted = "; ".join(part for part in (excepted_matters(view), draft_overlay_matter(view))
                         if part)
    if excepted:
        items[1] = items[1].replace("are true and complete", "are true and complete, except "
                                    "for the matters set out in the next clause")
        items.append(f"I do not attest to these matters: {excepted}; and")
    items.append(
        "the record I attest to is the machine-readable manifest embedded in this document, "
        "whose SHA-256 digest is printed below. Any change to that record changes the "
        "digest.")
    return Statement(intro, tuple(items), qualified=bool(excepted))


def draft_overlay_matter(view: AuditView) -> str:
    """The matter a draft state overlay forces into the statement ("" when there is none)."""
    drafts = [o.overlay for o in view.overlays if not o.overlay.approved]
    if not drafts:
        return ""
    named = ", ".join(f"“{o.title}” ({o.overlay} version {o.version})" for o in drafts)
    return (f"the state overlay{'s' if len(drafts) > 1 else ''} {named}, not approved by "
            "counsel: the questions, findings and severities it adds or changes are not "
            "attested as a statement of the state's law")


def excepted_matters(view: AuditView) -> str:
    """The matters the official excepts from a qualified statement ("" when none)."""
    attestation = view.checklist.checklist.attestation
    if attestation is None or attestation.exceptions is None:
        return ""
    value = view.evaluation.effective.get(attestation.exceptions)
    return " ".join(str(value).split()) if value else ""
