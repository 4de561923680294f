from django.urls import path

from . import activity_views as av
from . import budget_views as bv
from . import checkin_views as cv
from . import finance_views as fv
from . import participant_views as pv
from . import views

app_name = "desk"
urlpatterns = [
    path("", views.desk_entry, name="entry"),
    path("<slug:network>/", views.home, name="home"),
    path("<slug:network>/network/", views.network_detail, name="network"),
    path("<slug:network>/network/edit/", views.network_edit, name="network_edit"),
    path("<slug:network>/organisers/", views.organisers, name="organisers"),
    path("<slug:network>/staff/", views.members, name="members"),
    path(
        "<slug:network>/staff/<uuid:membership_id>/two-factor-reset/",
        views.member_two_factor_reset,
        name="member_two_factor_reset",
    ),
    path("<slug:network>/api-tokens/", views.tokens, name="tokens"),
    path(
        "<slug:network>/api-tokens/<uuid:token_id>/revoke/", views.token_revoke, name="token_revoke"
    ),
    path("<slug:network>/audit/", views.audit_log, name="audit"),
    path("<slug:network>/participants/", pv.participant_search, name="participants"),
    path("<slug:network>/participants/new/", pv.participant_register, name="participant_new"),
    path("<slug:network>/participants/ending/", pv.statuses_ending, name="statuses_ending"),
    path(
        "<slug:network>/participants/<uuid:participant_id>/",
        pv.participant_detail,
        name="participant",
    ),
    path(
        "<slug:network>/participants/<uuid:participant_id>/statuses/",
        pv.status_grant,
        name="status_grant",
    ),
    *[
        path(
            f"<slug:network>/participants/<uuid:participant_id>/statuses/<uuid:status_id>/"
            f"{action}/",
            pv.status_change,
            {"action": action},
            name=f"status_{action}",
        )
        for action in ("renew", "suspend", "end")
    ],
    path(
        "<slug:network>/participants/<uuid:participant_id>/passes/",
        pv.pass_issue,
        name="pass_issue",
    ),
    path(
        "<slug:network>/participants/<uuid:participant_id>/passes/<uuid:pass_id>/block/",
        pv.pass_block,
        name="pass_block",
    ),
    path(
        "<slug:network>/participants/<uuid:participant_id>/passes/<uuid:pass_id>/send-link/",
        pv.pass_send_link,
        name="pass_send_link",
    ),
    path(
        "<slug:network>/participants/<uuid:participant_id>/details/",
        pv.participant_correct,
        name="participant_correct",
    ),
    path("<slug:network>/participants/<uuid:participant_id>/notes/", pv.note_add, name="note_add"),
    path(
        "<slug:network>/participants/<uuid:participant_id>/export/",
        pv.participant_export,
        name="participant_export",
    ),
    path(
        "<slug:network>/participants/<uuid:participant_id>/erase/",
        pv.participant_erase,
        name="participant_erase",
    ),
    path("<slug:network>/checkins/", cv.checkin_overview, name="checkins"),
    path("<slug:network>/checkins/new/", cv.checkin_new, name="checkin_new"),
    path(
        "<slug:network>/checkins/<uuid:checkin_id>/cancel/",
        cv.checkin_cancel,
        name="checkin_cancel",
    ),
    path("<slug:network>/budget/", bv.budget, name="budget"),
    path("<slug:network>/budget/sources/", bv.source_add, name="budget_source_add"),
    path(
        "<slug:network>/budget/sources/<uuid:source_id>/",
        bv.source_edit,
        name="budget_source",
    ),
    path("<slug:network>/budget/allocations/", bv.allocation_set, name="budget_allocation"),
    path("<slug:network>/budget/expenses/", bv.expense_new, name="expense_new"),
    path(
        "<slug:network>/budget/expenses/<int:entry_id>/correct/",
        bv.expense_correct,
        name="expense_correct",
    ),
    path("<slug:network>/budget/ledger/", bv.ledger, name="ledger"),
    path("<slug:network>/budget/report/", bv.report, name="money_report"),
    *[
        path(
            f"<slug:network>/budget/report.{kind}",
            bv.report_download,
            {"kind": kind},
            name=f"money_report_{kind}",
        )
        for kind in ("csv", "xlsx")
    ],
    path("<slug:network>/statements/", fv.statement_list, name="statements"),
    path(
        "<slug:network>/statements/<uuid:statement_id>/",
        fv.statement_detail,
        name="statement",
    ),
    *[
        path(
            f"<slug:network>/statements/<uuid:statement_id>/{action}/",
            fv.statement_action,
            {"action": action},
            name=f"statement_{action}",
        )
        for action in ("review", "reopen", "approve")
    ],
    *[
        path(
            f"<slug:network>/statements/<uuid:statement_id>/statement.{kind}",
            fv.statement_download,
            {"kind": kind},
            name=f"statement_{kind}",
        )
        for kind in ("pdf", "csv")
    ],
    path("<slug:network>/payments/", fv.payments, name="payments"),
    path("<slug:network>/payments/<uuid:batch_id>/", fv.batch_detail, name="batch"),
    *[
        path(
            f"<slug:network>/payments/<uuid:batch_id>/batch.{kind}",
            fv.batch_download,
            {"kind": kind},
            name=f"batch_{kind}",
        )
        for kind in ("xml", "csv")
    ],
    path("<slug:network>/activities/", av.activity_list, name="activities"),
    path("<slug:network>/activities/new/", av.activity_new, name="activity_new"),
    path("<slug:network>/activities/<uuid:activity_id>/", av.activity_detail, name="activity"),
    path(
        "<slug:network>/activities/<uuid:activity_id>/dates/",
        av.activity_dates,
        name="activity_dates",
    ),
    path(
        "<slug:network>/activities/<uuid:activity_id>/dates/<uuid:occurrence_id>/cancel/",
        av.occurrence_cancel,
        name="occurrence_cancel",
    ),
    path(
        "<slug:network>/activities/<uuid:activity_id>/publish/",
        av.activity_publish,
        name="activity_publish",
    ),
    path(
        "<slug:network>/activities/<uuid:activity_id>/archive/",
        av.activity_archive,
        name="activity_archive",
    ),
]
