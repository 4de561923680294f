"""Authorisation has one home (docs/architecture.md, "Authorisation in one layer").

The role → permission facts live in ``core/roles.py`` and are asked through
``core/permissions.py`` (``can``, ``require``, ``organiser_bound``). Anywhere else, code asks
for a permission, never which role someone has: a new role, or a role that gains a right,
then changes one map instead of every page that compared roles.
"""

import importlib
import inspect
import re
from pathlib import Path

import vrijuit

ROOT = Path(vrijuit.__file__).parent
# The two files that may speak of roles directly.
HOMES = {ROOT / "core" / "roles.py", ROOT / "core" / "permissions.py"}

ROLE_COMPARISON = re.compile(
    r"""
      \brole\s*(==|!=)                      # role == …, principal.role != …
    | (==|!=)\s*Role\.                      # … == Role.ORGANISER
    | \bRole\.[A-Z_]+\s*(==|!=|\bin\b|\bnot\s+in\b)   # Role.DESK in …
    | \brole\s+(not\s+)?in\s+(?!Role\.values)[(\[{A-Z_]   # role in (…), role not in ROLES
    """,
    re.VERBOSE,
)


def _application_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path in HOMES:
            continue
        yield path


def role_comparisons():
    found = []
    for path in _application_files():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#", 1)[0]
            if ROLE_COMPARISON.search(code):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_no_role_comparison_outside_the_permission_map():
    found = role_comparisons()
    assert not found, (
        "Ask core.permissions (can, require, organiser_bound) instead of comparing roles; "
        "put the role fact into core/roles.py:\n" + "\n".join(found)
    )


def test_the_pattern_finds_what_it_forbids():
    for line in (
        "if principal.role == Role.ORGANISER:",
        'if not (principal.role == "organiser" and x):',
        "may = principal.role in (Role.DESK, Role.COORDINATOR)",
        "if principal.role not in (Role.DESK, Role.COORDINATOR):",
        '"is_staff": role == Role.COORDINATOR,',
        "if role != Role.ORGANISER:",
    ):
        assert ROLE_COMPARISON.search(line), line
    for line in (
        'config["role"] = principal.role if principal else ""',
        "role=membership.role,",
        "memberships.filter(role__in=PERSONAL_DATA_ROLES)",
    ):
        assert not ROLE_COMPARISON.search(line), line


# --- services take the principal and check it themselves -------------------------------

APPS = ("accounts", "api", "catalogue", "checkins", "finance", "networks", "participants", "passes")

# Public functions of a services module that are not writes a person or token triggers.
NOT_A_GUARDED_WRITE = {
    # Writes the audit entry of what a guarded service or a login already did.
    "accounts.account_event_record",
    # Rules and helpers that pages and services share; they change nothing.
    "accounts.backup_codes_left",
    "accounts.format_backup_code",
    "accounts.has_authenticator",
    "accounts.language_of",
    "accounts.normalise_backup_code",
    "catalogue.activity_search_text",
    "catalogue.weekly_starts",
    "checkins.cancel_refusal",
    "checkins.check_in_window",
    "checkins.fingerprint",
    "checkins.is_open",
    "checkins.local_day",
    "checkins.may_cancel",
    "checkins.refusal_for",
    "checkins.scan_moment",
    "finance.expense_balance",
    "participants.participant_correction_errors",
    # The eight rules; run by ``tariff`` and ``check_in`` after they checked the principal.
    "checkins.checkin_evaluate",
    # A signal receiver: follows a rename whoever made it.
    "catalogue.search_text_follow_rename",
    # A person's own account, outside any network: the logged-in user acts on itself.
    "accounts.backup_code_used",
    "accounts.backup_codes_create",
    "accounts.remember_language",
    "accounts.two_factor_confirm",
    # Also run with no one acting: `create_api_token`, the demo and test set-up. The token
    # page checks APITOKEN_MANAGE.
    "api.api_token_create",
}

# Writes that still rely on their caller's check (the page's ``network_view``, the
# endpoint's ``require``). Each moves to the rule below; remove it here when it does
# (the test fails while a name stays here after its function follows the rule).
CALLER_CHECKS_FOR_NOW = {
    "catalogue.activity_archive",
    "catalogue.activity_create",
    "catalogue.activity_publish",
    "catalogue.activity_update",
    "catalogue.occurrence_cancel",
    "catalogue.occurrence_create",
    "catalogue.occurrences_create_weekly",
    "catalogue.organiser_create",
    "participants.household_join",
    "participants.note_add",
    "participants.participant_erase",
    "participants.participant_export_record",
    "participants.participant_register",
    "participants.participant_search_record",
    "participants.participant_update",
    "participants.participant_view_record",
    "participants.status_end",
    "participants.status_grant",
    "participants.status_renew",
    "participants.status_suspend",
    "passes.pass_block",
    "passes.pass_issue",
    "passes.pass_new_private_link",
    "passes.pass_replace",
}


def _service_functions():
    for app in APPS:
        module = importlib.import_module(f"vrijuit.{app}.services")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                yield f"{app}.{name}", function


def follows_the_rule(function) -> bool:
    """``principal`` is the first, keyword-only argument and the function calls ``require``."""
    parameters = list(inspect.signature(function).parameters.values())
    return (
        bool(parameters)
        and parameters[0].name == "principal"
        and parameters[0].kind is inspect.Parameter.KEYWORD_ONLY
        and "require(principal" in inspect.getsource(function)
    )


def test_every_write_service_takes_the_principal_and_checks_it():
    breaking = [
        name
        for name, function in _service_functions()
        if name not in NOT_A_GUARDED_WRITE | CALLER_CHECKS_FOR_NOW
        and not follows_the_rule(function)
    ]
    assert not breaking, (
        "A write service takes `principal` (keyword-only, first) and calls "
        "`require(principal, Perm.X[, obj])` before it does anything: " + ", ".join(breaking)
    )


def test_the_lists_of_exceptions_stay_true():
    functions = dict(_service_functions())
    assert not (NOT_A_GUARDED_WRITE | CALLER_CHECKS_FOR_NOW) - functions.keys()
    assert not [name for name in CALLER_CHECKS_FOR_NOW if follows_the_rule(functions[name])]
