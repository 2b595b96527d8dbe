"""URLs for planning cycles: /schools/<slug>/cycles/ and /cycles/<id>/, and the district's
library of shared plans."""

from django.urls import path

from . import leader_views, library_views, planning_views, views

app_name = "inquiry"
urlpatterns = [
    path("schools/<slug:slug>/cycles/", views.cycle_list, name="cycles"),
    path("schools/<slug:slug>/cycles/new/", views.cycle_start, name="start"),
    # Every cycle of the school, for its principals and the district's leaders.
    path("schools/<slug:slug>/cycles/all/", leader_views.school_cycles, name="school_cycles"),
    path(
        "schools/<slug:slug>/cycles/all/<id:cycle_id>/",
        leader_views.school_cycle,
        name="school_cycle",
    ),
    path("schools/<slug:slug>/library/", library_views.library, name="library"),
    path("cycles/<id:cycle_id>/share/", library_views.share, name="share"),
    path(
        "cycles/<id:cycle_id>/library/<id:plan_id>/copy/",
        library_views.copy,
        name="library_copy",
    ),
    path("library/<id:plan_id>/remove/", library_views.remove, name="library_remove"),
    path("cycles/<id:cycle_id>/", views.cycle_detail, name="cycle"),
    path("cycles/<id:cycle_id>/stage/", views.stage, name="stage"),
    path("cycles/<id:cycle_id>/focus/", views.focus, name="focus"),
    path("cycles/<id:cycle_id>/focus/data-file", views.data_file, name="data_file"),
    path("cycles/<id:cycle_id>/settings/", views.settings, name="settings"),
    path("cycles/<id:cycle_id>/look-fors/", planning_views.look_fors, name="look_fors"),
    path(
        "cycles/<id:cycle_id>/look-fors/merge/",
        planning_views.look_for_merge,
        name="look_for_merge",
    ),
    path(
        "cycles/<id:cycle_id>/look-fors/<id:look_for_id>/",
        planning_views.look_for_change,
        name="look_for_change",
    ),
    path("cycles/<id:cycle_id>/evidence-tool/", planning_views.evidence_tool, name="evidence_tool"),
    path(
        "cycles/<id:cycle_id>/evidence-tool/parts/",
        planning_views.tool_part,
        name="tool_part",
    ),
    path(
        "cycles/<id:cycle_id>/evidence-tool/preview/",
        views.evidence_tool_preview,
        name="evidence_tool_preview",
    ),
    path("cycles/<id:cycle_id>/people/", planning_views.people, name="people"),
    path("cycles/<id:cycle_id>/pre-briefs/<id:host_id>/", views.pre_brief, name="pre_brief"),
]
