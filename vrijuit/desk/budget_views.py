"""The budget of a year (/desk/<network>/budget/): sources, allocations per purpose, spent
against allocated, the forecast of the discount budget with a plot; manual expenses and their
corrections; the ledger; the money report with its CSV and XLSX files.

The coordinator sets sources and allocations; the coordinator and finance officers book
expenses and read everything. No page here shows who took part: ledger rows of check-ins
show the activity and the organiser only.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vrijuit.checkins import selectors as checkin_selectors
from vrijuit.checkins import services as checkin_services
from vrijuit.core import audit
from vrijuit.core.exceptions import VrijuitError
from vrijuit.core.models import AuditAction
from vrijuit.core.permissions import can
from vrijuit.core.roles import Perm
from vrijuit.finance import budget as budget_selectors
from vrijuit.finance import reports, services
from vrijuit.finance.constants import EntryKind, Purpose
from vrijuit.finance.models import BudgetSource, LedgerEntry
from vrijuit.finance.plot import budget_plot

from .budget_forms import AllocationForm, CorrectionForm, ExpenseForm, LedgerFilterForm, SourceForm
from .checkin_forms import BudgetForm
from .decorators import network_view


def _year(request, default):
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


def budget_forecast(network, year, today, budget=None):
    """The forecast and the plot of the discount budget of ``year`` (for the budget page and
    the dashboard). A year still to come has no plot."""
    fc = budget_selectors.forecast(network, year, today, budget=budget)
    if year > today.year:
        return fc, None
    until = min(today, date(year, 12, 31))
    points = budget_selectors.discount_spending_by_week(network, year, until)
    return fc, budget_plot(year=year, points=points, forecast=fc)


def _budget_page(request, *, year=None, budget_form=None, source_form=None, allocation_form=None):
    principal = request.principal
    network = principal.network
    today = timezone.localdate()
    year = year or _year(request, today.year)
    may_edit = can(principal, Perm.BUDGET_MANAGE)
    overview = budget_selectors.budget_overview(network, year)
    fc, plot = budget_forecast(network, year, today, budget=overview["discount_budget"])
    initial = {"year": year}
    return render(
        request,
        "desk/checkins/budget.html",
        {
            "year": year,
            "this_year": today.year,
            "years": reports.report_years(network, today),
            "overview": overview,
            "forecast": fc,
            "plot": plot,
            "budgets": checkin_selectors.budgets(network),
            "budget_mode": network.get_budget_mode_display(),
            "owed": checkin_selectors.owed_per_organiser(network, year),
            "may_edit": may_edit,
            "may_book": can(principal, Perm.EXPENSE_BOOK),
            "form": (budget_form or BudgetForm(initial=initial)) if may_edit else None,
            "source_form": (source_form or SourceForm(initial=initial)) if may_edit else None,
            "allocation_form": (allocation_form or AllocationForm(initial=initial))
            if may_edit
            else None,
        },
    )


@network_view(Perm.FINANCE_VIEW)
def budget(request):
    principal = request.principal
    if request.method == "POST":
        if not can(principal, Perm.BUDGET_MANAGE):
            raise PermissionDenied
        form = BudgetForm(request.POST)
        if form.is_valid():
            checkin_services.budget_set(
                principal=principal,
                year=form.cleaned_data["year"],
                amount=form.cleaned_data["amount"],
            )
            messages.success(request, _("The budget is saved."))
            return _back_to_budget(principal, form.cleaned_data["year"])
        return _budget_page(request, budget_form=form)
    return _budget_page(request)


def _back_to_budget(principal, year):
    url = reverse("desk:budget", kwargs={"network": principal.network.slug})
    if year != timezone.localdate().year:
        url += f"?year={year}"
    return redirect(url)


@require_POST
@network_view(Perm.BUDGET_MANAGE)
def source_add(request):
    principal = request.principal
    form = SourceForm(request.POST)
    if form.is_valid():
        try:
            services.source_save(principal=principal, **form.cleaned_data)
        except VrijuitError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The source of money is saved."))
            return _back_to_budget(principal, form.cleaned_data["year"])
    return _budget_page(request, source_form=form)


def _source(request, source_id):
    source = BudgetSource.objects.filter(network=request.principal.network, pk=source_id).first()
    if source is None:
        raise Http404
    return source


@network_view(Perm.BUDGET_MANAGE)
def source_edit(request, source_id):
    principal = request.principal
    source = _source(request, source_id)
    form = SourceForm(
        request.POST or None,
        initial={
            "year": source.year,
            "kind": source.kind,
            "label": source.label,
            "amount": source.amount,
        },
    )
    if request.method == "POST":
        if request.POST.get("delete"):
            services.source_delete(principal=principal, source_id=source.pk)
            messages.success(request, _("The source of money is removed."))
            return _back_to_budget(principal, source.year)
        if form.is_valid():
            try:
                services.source_save(principal=principal, source_id=source.pk, **form.cleaned_data)
            except VrijuitError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The source of money is saved."))
                return _back_to_budget(principal, form.cleaned_data["year"])
    return render(request, "desk/budget/source.html", {"form": form, "source": source})


@require_POST
@network_view(Perm.BUDGET_MANAGE)
def allocation_set(request):
    principal = request.principal
    form = AllocationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.allocation_set(
                principal=principal,
                year=data["year"],
                purpose=data["purpose"],
                amount=data["amount"],
            )
        except VrijuitError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The allocation is saved."))
            return _back_to_budget(principal, data["year"])
    return _budget_page(request, allocation_form=form)


@network_view(Perm.EXPENSE_BOOK)
def expense_new(request):
    principal = request.principal
    form = ExpenseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.expense_book(
                principal=principal,
                purpose=data["purpose"],
                amount=data["amount"],
                description=data["description"],
                day=data["day"],
            )
        except VrijuitError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The expense is booked in the ledger."))
            url = reverse("desk:ledger", kwargs={"network": principal.network.slug})
            return redirect(f"{url}?year={entry.year}")
    return render(request, "desk/budget/expense.html", {"form": form})


@network_view(Perm.EXPENSE_BOOK)
def expense_correct(request, entry_id):
    principal = request.principal
    entry = LedgerEntry.objects.filter(
        network=principal.network, pk=entry_id, kind=EntryKind.EXPENSE
    ).first()
    if entry is None:
        raise Http404
    balance = services.expense_balance(entry)
    form = CorrectionForm(request.POST or None, initial={"correct_amount": balance})
    if request.method == "POST" and form.is_valid():
        try:
            services.expense_correct(
                principal=principal,
                entry_id=entry.pk,
                correct_amount=form.cleaned_data["correct_amount"],
                description=form.cleaned_data["description"],
            )
        except VrijuitError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The correction is booked in the ledger."))
            url = reverse("desk:ledger", kwargs={"network": principal.network.slug})
            return redirect(f"{url}?year={entry.year}")
    return render(
        request,
        "desk/budget/correct.html",
        {
            "entry": entry,
            "balance": balance,
            "corrections": entry.corrections.order_by("booked_at", "id"),
            "form": form,
        },
    )


LEDGER_PAGE = 100


@network_view(Perm.FINANCE_VIEW)
def ledger(request):
    principal = request.principal
    network = principal.network
    today = timezone.localdate()
    form = LedgerFilterForm(request.GET or None)
    year, purpose = today.year, ""
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        purpose = form.cleaned_data["purpose"] or ""
    if not form.is_bound:
        form = LedgerFilterForm(initial={"year": year})
    entries = LedgerEntry.objects.filter(network=network, year=year)
    if purpose:
        entries = entries.filter(purpose=purpose)
    totals = budget_selectors.spent_per_purpose(network, year)
    total = totals.get(purpose) if purpose else sum(totals.values())
    # The activity and the organiser of a check-in entry, never the person.
    entries = entries.select_related("organiser", "checkin__activity").only(
        *[f.attname for f in LedgerEntry._meta.concrete_fields],
        "organiser__name",
        "checkin__activity__title",
    )
    page = Paginator(entries.order_by("-booked_at", "-id"), LEDGER_PAGE).get_page(
        request.GET.get("page")
    )
    query = f"year={year}" + (f"&purpose={purpose}" if purpose else "")
    return render(
        request,
        "desk/budget/ledger.html",
        {
            "form": form,
            "year": year,
            "purpose": purpose,
            "purpose_label": dict(Purpose.choices).get(purpose, ""),
            "page": page,
            "total": total or 0,
            "query": query,
            "may_book": can(principal, Perm.EXPENSE_BOOK),
            "EXPENSE": EntryKind.EXPENSE,
        },
    )


@network_view(Perm.FINANCE_VIEW)
def report(request):
    principal = request.principal
    network = principal.network
    today = timezone.localdate()
    year = _year(request, today.year)
    return render(
        request,
        "desk/budget/report.html",
        {
            "year": year,
            "years": reports.report_years(network, today),
            "report": reports.annual_report(network, year),
        },
    )


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@network_view(Perm.FINANCE_VIEW)
def report_download(request, kind):
    principal = request.principal
    network = principal.network
    year = _year(request, timezone.localdate().year)
    data = reports.annual_report(network, year)
    audit.record(
        action=AuditAction.EXPORT,
        network=network,
        object_type="finance.report",
        object_id=str(year),
        object_repr=f"{year}",
        context=f"money report {kind}",
    )
    name = f"geldrapport-{network.slug}-{year}"
    if kind == "xlsx":
        return _download(
            reports.report_xlsx(data, network_name=network.name),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{name}.xlsx",
        )
    view = request.GET.get("by", "organiser")
    if view not in reports.VIEWS:
        view = "organiser"
    return _download(
        reports.report_csv(data, view), "text/csv; charset=utf-8", f"{name}-{view}.csv"
    )
