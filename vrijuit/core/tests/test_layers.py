"""The layers contract: which part of the code may import which (docs/architecture.md, "Layers").

Read from the source with ``ast`` (no import runs), over every module of ``vrijuit`` except
tests and migrations. A module belongs to the longest entry of ``LAYERS`` that prefixes its
name. It may import from a layer *below* its own, never from one above, and never from a
sibling in the same layer: so the apps form no cycle. A new context adds itself to ``LAYERS``.

A cross-app import inside a function hides a dependency from this test and from the reader;
only ``AppConfig.ready()`` may do it (Django loads the other apps' models first there).
"""

import ast
from pathlib import Path

import vrijuit

PACKAGE = Path(vrijuit.__file__).parent

# Top to bottom. Names in one tuple are siblings: independent of each other.
LAYERS = [
    ("vrijuit.demo",),  # the demo year: writes through every context's services
    # Screens and the API mount: they call the contexts below, nothing calls them.
    (
        "vrijuit.desk",
        "vrijuit.public",
        "vrijuit.api.urls",
        "vrijuit.api.management",
    ),
    ("vrijuit.api.errors",),  # every context's error codes, for the API description
    ("vrijuit.finance",),  # ledger, statements and payments are made of check-ins
    ("vrijuit.checkins",),  # the check-in asks the guide, the pass and the person
    ("vrijuit.participants",),  # a person holds passes
    ("vrijuit.passes", "vrijuit.catalogue"),  # the guide, with its reduced prices; a pass
    ("vrijuit.api", "vrijuit.accounts"),  # tokens, bearer auth, problem responses; logins
    ("vrijuit.networks",),  # the tenant: every context's rows belong to a network
    ("vrijuit.core",),  # roles, permission check, audit, money, dates, text
]

# Imports that break the contract today, each to be removed (module, imported module).
# The test also fails when one of them is gone, so that this list only shrinks.
KNOWN_VIOLATIONS = {
    # The check-in books its ledger entry and leaves its statement directly (checkins <-> finance).
    ("vrijuit.checkins.services", "vrijuit.finance.ledger"),
    ("vrijuit.checkins.services", "vrijuit.finance.statements"),
    # The budget draw and release (finance owns the money; the Budget row still lives in
    # checkins, see docs/architecture.md "Layers").
    ("vrijuit.checkins.services", "vrijuit.finance.drawdown"),
    # The person's GDPR export gathers their check-ins.
    ("vrijuit.participants.selectors", "vrijuit.checkins.models"),
    # Issuing a pass refuses an erased person with the participants' error; the pass
    # endpoints find the person through the participants' selector (participants <-> passes).
    ("vrijuit.passes.services", "vrijuit.participants.exceptions"),
    ("vrijuit.passes.api", "vrijuit.participants.selectors"),
}


def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts or len(parts) < 2:
            continue
        yield _module_name(path), path


def _resolve(module, path, node):
    """The modules an import statement names, absolute."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    if node.level:
        base = package.split(".")
        base = base[: len(base) - node.level + 1]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module
    # ``from vrijuit.x import y`` names the module vrijuit.x.y when y is one, else vrijuit.x.
    names = [f"{target}.{alias.name}" for alias in node.names]
    return list(dict.fromkeys(n if _is_module(n) else target for n in names))


def _is_module(name):
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").exists() or (PACKAGE / relative).is_dir()


def _imports():
    """(module, imported module, line, enclosing function or None) for every vrijuit import."""
    for module, path in _modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        for function, node in _walk(tree, None):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _resolve(module, path, node):
                    if target.startswith("vrijuit."):
                        yield module, target, node.lineno, function


def _walk(node, function):
    for child in ast.iter_child_nodes(node):
        inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else None
        yield function, child
        yield from _walk(child, inner or function)


def _layer(module):
    best = None
    for index, names in enumerate(LAYERS):
        for name in names:
            inside = module == name or module.startswith(name + ".")
            if inside and (best is None or len(name) > len(best[1])):
                best = (index, name)
    return best


def _app(module):
    return module.split(".")[1] if module.count(".") else module


def test_every_app_has_a_layer():
    apps = sorted(p.parent.name for p in PACKAGE.glob("*/apps.py"))
    missing = [app for app in apps if _layer(f"vrijuit.{app}") is None]
    assert not missing, f"add these apps to LAYERS: {missing}"


def test_apps_import_only_from_layers_below():
    found = set()
    for module, target, line, _function in _imports():
        source, imported = _layer(module), _layer(target)
        if source is None or imported is None or source[1] == imported[1]:
            continue
        if imported[0] > source[0]:
            continue
        found.add((module, target, line))
    violations = {(m, t) for m, t, _ in found}
    new = sorted((m, t, line) for m, t, line in found if (m, t) not in KNOWN_VIOLATIONS)
    assert not new, "imports from a layer above or beside: " + "; ".join(
        f"{m}:{line} imports {t}" for m, t, line in new
    )
    gone = sorted(KNOWN_VIOLATIONS - violations)
    assert not gone, f"remove these from KNOWN_VIOLATIONS, they are fixed: {gone}"


def test_no_cross_app_import_inside_a_function():
    hidden = [
        f"{module}:{line} in {function}() imports {target}"
        for module, target, line, function in _imports()
        if function is not None and function != "ready" and _app(module) != _app(target)
    ]
    assert not hidden, "move these imports to the top of their module: " + "; ".join(hidden)
