"""Reimbursement statements and payment batches in the back office.

The coordinator drafts and reviews, a finance officer approves (four eyes) and pays; an
organiser follows its own statements and this period's running total. No page here shows
who took part: statement lines are activities and days.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from vrijuit.core import audit, dates
from vrijuit.core.exceptions import VrijuitError
from vrijuit.core.models import AuditAction
from vrijuit.core.permissions import can, organiser_bound
from vrijuit.core.roles import Perm
from vrijuit.finance import selectors, statements
from vrijuit.finance.constants import StatementState
from vrijuit.finance.exports import batch_csv, statement_csv
from vrijuit.finance.pdf import statement_pdf
from vrijuit.finance.sepa import build_pain001

from .decorators import network_view
from .participant_forms import DateInput


class DraftForm(forms.Form):
    month = dates.DateField(
        label=gettext_lazy("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text=gettext_lazy(
            "A month that has ended. A late check-in of a month that is approved already goes "
            "into the first month after it that is still open."
        ),
    )


class BatchForm(forms.Form):
    statements = forms.MultipleChoiceField(
        label=gettext_lazy("Approved statements"), widget=forms.CheckboxSelectMultiple
    )
    execution_date = dates.DateField(label=gettext_lazy("Pay on"), widget=DateInput)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statements"].choices = choices


def _statement(request, statement_id):
    statement = selectors.statement_get(request.principal, statement_id)
    if statement is None:
        raise Http404
    return statement


def _refused(request, error):
    messages.error(request, error.message)


@network_view(Perm.STATEMENT_VIEW)
def statement_list(request):
    principal = request.principal
    today = timezone.localdate()
    may_prepare = can(principal, Perm.STATEMENT_PREPARE)
    period = principal.network.statement_period
    previous_start, _end = statements.previous_period(today, period)
    form = DraftForm(initial={"month": previous_start}) if may_prepare else None
    if request.method == "POST":
        if not may_prepare:
            raise PermissionDenied
        form = DraftForm(request.POST)
        if form.is_valid():
            start, end = statements.period_of(form.cleaned_data["month"], period)
            try:
                touched = statements.statements_draft(
                    principal=principal, period_start=start, period_end=end, today=today
                )
            except statements.StatementRefused as error:
                form.add_error("month", error.message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s statement drafted or brought up to date.",
                        "%(count)s statements drafted or brought up to date.",
                        len(touched),
                    )
                    % {"count": len(touched)},
                )
                return redirect("desk:statements", network=principal.network.slug)
    state = request.GET.get("state", "")
    if state not in StatementState.values:
        state = ""
    return render(
        request,
        "desk/finance/statements.html",
        {
            "statements": selectors.statements_for(principal, state=state),
            "state": state,
            "states": StatementState.choices,
            "form": form,
            "running": selectors.running_statement(principal, today)
            if organiser_bound(principal)
            else None,
            "outstanding": selectors.outstanding(principal) if organiser_bound(principal) else None,
            "may_pay": can(principal, Perm.STATEMENT_APPROVE),
        },
    )


@network_view(Perm.STATEMENT_VIEW)
def statement_detail(request, statement_id):
    principal = request.principal
    statement = _statement(request, statement_id)
    user = request.user
    return render(
        request,
        "desk/finance/statement.html",
        {
            "statement": statement,
            "lines": selectors.statement_lines(statement),
            "days": selectors.statement_checkins(statement),
            "may_review": can(principal, Perm.STATEMENT_PREPARE)
            and statement.state == StatementState.DRAFT,
            "may_reopen": can(principal, Perm.STATEMENT_PREPARE)
            and statement.state == StatementState.REVIEWED,
            "may_approve": can(principal, Perm.STATEMENT_APPROVE)
            and statement.state == StatementState.REVIEWED
            and user.pk not in (statement.prepared_by_id, statement.reviewed_by_id),
            "four_eyes_block": can(principal, Perm.STATEMENT_APPROVE)
            and statement.state == StatementState.REVIEWED
            and user.pk in (statement.prepared_by_id, statement.reviewed_by_id),
        },
    )


STATEMENT_ACTIONS = {
    "review": (
        Perm.STATEMENT_PREPARE,
        statements.statement_review,
        gettext_lazy("The statement is reviewed."),
    ),
    "reopen": (
        Perm.STATEMENT_PREPARE,
        statements.statement_reopen,
        gettext_lazy("The statement is a draft again."),
    ),
    "approve": (
        Perm.STATEMENT_APPROVE,
        statements.statement_approve,
        gettext_lazy("The statement is approved. Its check-ins can no longer be cancelled."),
    ),
}


@require_POST
@network_view(Perm.STATEMENT_VIEW)
def statement_action(request, statement_id, action):
    principal = request.principal
    statement = _statement(request, statement_id)
    perm, service, done = STATEMENT_ACTIONS[action]
    if not can(principal, perm):
        raise PermissionDenied
    try:
        service(principal=principal, statement=statement)
    except VrijuitError as error:
        _refused(request, error)  # four eyes, or the state does not allow it
    else:
        messages.success(request, str(done))
    return redirect("desk:statement", network=principal.network.slug, statement_id=statement.pk)


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@network_view(Perm.STATEMENT_VIEW)
def statement_download(request, statement_id, kind):
    statement = _statement(request, statement_id)
    name = f"terugbetaling-{statement.organiser.slug}-{statement.period_start:%Y-%m}"
    audit.record(action=AuditAction.EXPORT, obj=statement, context=f"statement {kind}")
    if kind == "pdf":
        return _download(statement_pdf(statement), "application/pdf", f"{name}.pdf")

    return _download(statement_csv(statement), "text/csv; charset=utf-8", f"{name}.csv")


@network_view(Perm.FINANCE_VIEW)
def payments(request):
    principal = request.principal
    network = principal.network
    may_pay = can(principal, Perm.STATEMENT_APPROVE)
    approved = list(selectors.approved_unpaid(network))
    choices = [(str(s.pk), f"{s.organiser.name} — {s.period_start:%m/%Y}") for s in approved]
    form = BatchForm(choices=choices, initial={"execution_date": timezone.localdate()})
    if request.method == "POST":
        if not may_pay:
            raise PermissionDenied
        form = BatchForm(request.POST, choices=choices)
        if form.is_valid():
            chosen = [s for s in approved if str(s.pk) in form.cleaned_data["statements"]]
            try:
                batch = statements.batch_create(
                    principal=principal,
                    statements=chosen,
                    execution_date=form.cleaned_data["execution_date"],
                )
            except VrijuitError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The payment batch is ready. Download the file."))
                return redirect("desk:batch", network=network.slug, batch_id=batch.pk)
    return render(
        request,
        "desk/finance/payments.html",
        {
            "approved": approved,
            "batches": selectors.batches(network),
            "form": form if may_pay and approved else None,
        },
    )


@network_view(Perm.FINANCE_VIEW)
def batch_detail(request, batch_id):
    principal = request.principal
    batch = selectors.batch_get(principal.network, batch_id)
    if batch is None:
        raise Http404
    if request.method == "POST":
        if not can(principal, Perm.STATEMENT_APPROVE):
            raise PermissionDenied
        statements.batch_mark_paid(principal=principal, batch=batch)
        messages.success(request, _("The batch and its statements are marked as paid."))
        return redirect("desk:batch", network=principal.network.slug, batch_id=batch.pk)
    return render(
        request,
        "desk/finance/batch.html",
        {
            "batch": batch,
            "statements": batch.statements.select_related("organiser").order_by("organiser__name"),
            "may_pay": can(principal, Perm.STATEMENT_APPROVE),
        },
    )


@network_view(Perm.FINANCE_VIEW)
def batch_download(request, batch_id, kind):
    principal = request.principal
    batch = selectors.batch_get(principal.network, batch_id)
    if batch is None:
        raise Http404
    audit.record(action=AuditAction.EXPORT, obj=batch, context=f"payment batch {kind}")
    if kind == "xml":
        try:
            content = build_pain001(batch)
        except VrijuitError as error:
            messages.error(request, error.message)
            return redirect("desk:batch", network=principal.network.slug, batch_id=batch.pk)
        return _download(content, "application/xml", f"{batch.reference}.xml")

    return _download(batch_csv(batch), "text/csv; charset=utf-8", f"{batch.reference}.csv")
