from django.urls import path

from perisai.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("tugas-saya/", views.my_tasks, name="my_tasks"),
    path("tim/", views.team, name="team"),
    path("<uuid:public_id>/", views.case_detail, name="detail"),
    path("<uuid:public_id>/langkah/", views.transition, name="transition"),
    path("<uuid:public_id>/persetujuan/", views.request_approval, name="request_approval"),
    path("<uuid:public_id>/persetujuan/<uuid:approval_id>/", views.decide_approval, name="decide_approval"),
    path("<uuid:public_id>/pendamping/", views.assign, name="assign"),
    path("<uuid:public_id>/dasar-data/", views.lawful_basis, name="lawful_basis"),
    path("<uuid:public_id>/fakta/", views.facts_edit, name="facts_edit"),
    path("<uuid:public_id>/akses/", views.restrict, name="restrict"),
    path("<uuid:public_id>/dicatat-belakangan/", views.entered_after_fact, name="entered_after_fact"),
    path("<uuid:public_id>/korban/baru/", views.victim_edit, name="victim_add"),
    path("<uuid:public_id>/korban/<uuid:victim_id>/", views.victim_edit, name="victim_edit"),
    path("<uuid:public_id>/korban/<uuid:victim_id>/asesmen/", views.assessment_edit, name="assessment_edit"),
    path("<uuid:public_id>/pelaku/baru/", views.perpetrator_edit, name="perpetrator_add"),
    path("<uuid:public_id>/pelaku/<uuid:perpetrator_id>/", views.perpetrator_edit, name="perpetrator_edit"),
    path("<uuid:public_id>/layanan/baru/", views.service_edit, name="service_add"),
    path("<uuid:public_id>/layanan/<uuid:service_id>/", views.service_edit, name="service_edit"),
    path("<uuid:public_id>/rencana/baru/", views.plan_item_edit, name="plan_item_add"),
    path("<uuid:public_id>/rencana/<uuid:item_id>/", views.plan_item_edit, name="plan_item_edit"),
    path("<uuid:public_id>/rencana/<uuid:item_id>/pemantauan/", views.plan_monitoring, name="plan_monitoring"),
    path("<uuid:public_id>/tugas/", views.task_add, name="task_add"),
    path("<uuid:public_id>/catatan/", views.note_add, name="note_add"),
    path("<uuid:public_id>/tim/", views.team_add, name="team_add"),
    path("<uuid:public_id>/dokumen/", views.document_add, name="document_add"),
    path("<uuid:public_id>/cetak/", views.print_register, name="print"),
    path("<uuid:public_id>/tugas/<uuid:task_id>/selesai/", views.task_complete, name="task_complete"),
    path("<uuid:public_id>/tugas/<uuid:task_id>/tunda/", views.task_snooze, name="task_snooze"),
    path("triase/<uuid:public_id>/", views.triage, name="triage"),
]
