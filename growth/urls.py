"""URLs for goals and follow-ups, celebrations, the hours ledger, the transcript, artifacts and
the portfolio."""

from django.urls import path

from . import (
    artifact_views,
    celebration_views,
    credential_views,
    hours_views,
    portfolio_views,
    transcript_views,
    views,
)

app_name = "growth"
urlpatterns = [
    # The transcript (growth/transcript.py): one's own, and its public verification page.
    path("hours/transcript/", transcript_views.transcript, name="transcript"),
    path(
        "verify/transcript/<str:token>/",
        transcript_views.transcript_verify_page,
        name="transcript_verify",
    ),
    # Credentials (growth/credential_views.py): one's own; the issuer's documents and the verify
    # page are public, for any verifier; revocation is the district leaders'.
    path("cycles/<id:cycle_id>/credential/", credential_views.claim, name="credential_claim"),
    path(
        "credentials/<uuid:credential_id>/<str:kind>/",
        credential_views.download,
        name="credential_download",
    ),
    path("credentials/record/<str:kind>/", credential_views.record, name="credential_record"),
    path("credentials/issuers/<slug:slug>/", credential_views.issuer, name="credential_issuer"),
    path(
        "credentials/issuers/<slug:slug>/jwks.json",
        credential_views.key_set,
        name="credential_jwks",
    ),
    path(
        "credentials/issuers/<slug:slug>/keys/<str:thumbprint>/",
        credential_views.public_key,
        name="credential_key",
    ),
    path(
        "credentials/issuers/<slug:slug>/status/<id:number>/",
        credential_views.status_list,
        name="credential_status_list",
    ),
    path("verify/credential/", credential_views.verify, name="credential_verify"),
    path(
        "district/<slug:slug>/credentials/",
        credential_views.district_credentials,
        name="district_credentials",
    ),
    path(
        "district/<slug:slug>/credentials/<uuid:credential_id>/revoke/",
        credential_views.revoke,
        name="credential_revoke",
    ),
    path("cycles/<id:cycle_id>/goal/", views.goal_new, name="goal_new"),
    path("meetings/<id:meeting_id>/goal/", views.goal_at_meeting, name="goal_at_meeting"),
    path("follow-ups/<id:follow_up_id>/", views.follow_up, name="follow_up"),
    path(
        "cycles/<id:cycle_id>/follow-ups/<id:follow_up_id>/share/",
        views.follow_up_share_with_cycle,
        name="follow_up_share",
    ),
    path("celebrations/", celebration_views.my_celebrations, name="my_celebrations"),
    path(
        "celebrations/<id:shout_out_id>/audience/",
        celebration_views.shout_out_audience,
        name="shout_out_audience",
    ),
    path(
        "celebrations/bright-moments/<uuid:evidence_id>/share/",
        celebration_views.bright_moment_share_view,
        name="bright_moment_share",
    ),
    path(
        "schools/<slug:slug>/celebrations/",
        celebration_views.school_celebrations,
        name="school_celebrations",
    ),
    # Artifacts and the portfolio (growth/portfolio_views.py): a share by link needs no sign-in.
    path("artifacts/new/", artifact_views.artifact_new, name="artifact_new"),
    path("artifacts/<id:artifact_id>/", artifact_views.artifact_download, name="artifact_download"),
    path(
        "artifacts/<id:artifact_id>/delete/",
        artifact_views.artifact_remove,
        name="artifact_delete",
    ),
    path("portfolio/", portfolio_views.portfolio, name="portfolio"),
    path("portfolio/shares/", portfolio_views.share_new, name="portfolio_share_new"),
    path(
        "portfolio/shares/<id:share_id>/withdraw/",
        portfolio_views.share_withdraw,
        name="portfolio_share_withdraw",
    ),
    path(
        "portfolio/shared/<id:share_id>/",
        portfolio_views.shared_portfolio,
        name="shared_portfolio",
    ),
    path(
        "portfolio/shared/<id:share_id>/artifacts/<id:artifact_id>/",
        portfolio_views.shared_artifact,
        name="shared_artifact",
    ),
    path("p/<str:token>/", portfolio_views.link_portfolio, name="link_portfolio"),
    path(
        "p/<str:token>/artifacts/<id:artifact_id>/",
        portfolio_views.link_artifact,
        name="link_artifact",
    ),
    path("hours/", hours_views.my_hours, name="my_hours"),
    path("hours/<id:entry_id>/", hours_views.reported_edit, name="reported_edit"),
    path("schools/<slug:slug>/hours/approvals/", hours_views.approvals, name="hours_approvals"),
    path(
        "schools/<slug:slug>/hours/approvals/<id:entry_id>/",
        hours_views.review,
        name="hours_review",
    ),
    path("district/<slug:slug>/hours/", hours_views.district_ledger, name="district_hours"),
]
