"""Tenancy, enforced: every tenant model's queries go through ``TenantQuerySet``.

- ``Model.objects.for_network(network)`` is the one way to say "rows of this network";
- ``Model.objects.for_principal(principal)`` is that, and for an organiser (a club's staff or
  token) only the club's own rows: the one organiser-scope helper. Each queryset says how its
  rows reach their organiser (``organiser_path``).
- The guard: while ``tenant_guard()`` is on (each web and API request, see
  ``TenantGuardMiddleware``), a query on a tenant model that is not constrained to a network is
  an error. A query is constrained when an AND-ed condition compares the network, or a foreign
  key to another tenant row (``household.members``, a prefetch of a person's statuses: the
  parent was read in its network). An existence check (``exists()``) is not guarded: it shows
  no row. ``scopes_disabled()`` turns the guard off for a block
  (admin of superusers, commands that span networks); ``unscoped()`` marks one query that may span
  networks (its ids come from a scoped query, or its key is unique across networks).

The setting ``TENANCY_GUARD`` says what a violation does: ``"raise"`` (tests, development),
``"log"`` (production: an error in the log, the page still answers) or ``"off"``.
"""

import contextlib
import contextvars
import logging

from django.conf import settings
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup
from django.db.models.sql import Query
from django.db.models.sql.where import AND, WhereNode

from vrijuit.core.roles import is_organiser_bound

logger = logging.getLogger(__name__)

_guard = contextvars.ContextVar("tenant_guard", default=False)


class TenancyError(Exception):
    """A query on a tenant model ran without a network."""


@contextlib.contextmanager
def tenant_guard(on=True):
    """Within the block, queries on tenant models must be constrained to a network."""
    token = _guard.set(on)
    try:
        yield
    finally:
        _guard.reset(token)


def scopes_disabled():
    """The explicit escape: within the block, any query may span networks."""
    return tenant_guard(False)


def guard_active():
    return _guard.get()


def is_tenant_model(model):
    return issubclass(getattr(model._default_manager, "_queryset_class", object), TenantQuerySet)


def _is_tenant_key(field):
    """A column that places a row in one network: the network itself, or a foreign key to a
    tenant row."""
    if field.model._meta.label == "networks.Network":
        return True
    remote = getattr(field, "related_model", None)
    if remote is None or (not field.many_to_one and not field.one_to_one):
        return False
    return remote._meta.label == "networks.Network" or is_tenant_model(remote)


def _constrained(node):
    if getattr(node, "negated", False):
        return False
    if isinstance(node, WhereNode):
        if node.connector == AND:
            return any(_constrained(child) for child in node.children)
        # OR (and XOR): every branch must be constrained.
        return bool(node.children) and all(_constrained(child) for child in node.children)
    if isinstance(node, Lookup) and node.lookup_name in ("exact", "in"):
        lhs = _column(node.lhs)
        return lhs is not None and node.rhs is not None and _is_tenant_key(lhs.target)
    return False


def _column(expression):
    """The column compared, also through a wrapper of one column that keeps its value
    (``NotIndexed``, which only steers the planner away from an index)."""
    while not isinstance(expression, Col):
        sources = expression.get_source_expressions() if expression is not None else []
        if len(sources) != 1:
            return None
        expression = sources[0]
    return expression


class TenantQuery(Query):
    """A query that checks, when compiled under the guard, that it names a network."""

    tenant_checked = False

    def exists(self, *args, **kwargs):
        # A yes or no shows no row; Django's own uniqueness checks (``full_clean``) ask it
        # across networks of a globally unique id.
        query = super().exists(*args, **kwargs)
        query.tenant_checked = True
        return query

    def get_compiler(self, *args, **kwargs):
        compiler = super().get_compiler(*args, **kwargs)
        if _guard.get() and not self.tenant_checked:
            # Checked when the statement runs, not when it is compiled: Django also compiles
            # a query only to read its ordering (a sliced prefetch) before adding the filter.
            run = compiler.execute_sql

            def execute_sql(*args, **kwargs):
                if not self.is_empty() and not _constrained(self.where):
                    _violation(self.model)
                return run(*args, **kwargs)

            compiler.execute_sql = execute_sql
        return compiler


def _violation(model):
    mode = getattr(settings, "TENANCY_GUARD", "log")
    message = f"A query on {model._meta.label} ran without a network."
    if mode == "raise":
        raise TenancyError(message)
    if mode == "log":
        logger.error(message, stack_info=True)


class TenantQuerySet(models.QuerySet):
    """The queryset of every tenant model (a row that belongs to one network)."""

    # How a row reaches the organiser it belongs to, for ``for_principal``; None: the model
    # has no organiser, an organiser's principal sees the network's rows its role may see.
    organiser_path = None

    def __init__(self, model=None, query=None, using=None, hints=None):
        super().__init__(model, query if query is not None else TenantQuery(model), using, hints)

    def for_network(self, network):
        return self.filter(network=network)

    def for_organiser(self, principal):
        """For an organiser's principal, only the rows of its organiser; for other roles, the
        rows as they are. The one place that writes this filter."""
        if not is_organiser_bound(principal.role) or self.organiser_path is None:
            return self
        return self.filter(**{self.organiser_path: principal.organiser_id})

    def for_principal(self, principal):
        """The rows ``principal`` works with: its network, and for an organiser its own."""
        return self.for_network(principal.network).for_organiser(principal)

    def unscoped(self):
        """The explicit escape for one query that may span networks: its rows were chosen
        by a scoped query (ids found in the network), or its key is unique across networks (a
        private link). Say why at the call."""
        clone = self._chain()
        clone.query.tenant_checked = True
        return clone


class OrganiserScoped(TenantQuerySet):
    """Rows with an ``organiser`` of their own (activities, check-ins, statements)."""

    organiser_path = "organiser_id"


class TenantGuardMiddleware:
    """Runs each request, except the admin (superusers may span networks), under the guard."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        on = getattr(settings, "TENANCY_GUARD", "log") != "off"
        if request.path.startswith("/admin/"):
            on = False
        with tenant_guard(on):
            return self.get_response(request)
