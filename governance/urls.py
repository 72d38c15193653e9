from django.urls import path

from . import views

app_name = "governance"
# The model whose id each route's `pk` names (the security walk tries each with ids inside
# and outside each user's areas).
url_models = {
    "committee_detail": "governance.Committee",
    "member_leave": "governance.Member",
    "vacancy_detail": "governance.Vacancy",
    "rules_detail": "governance.VillageRules",
    "deliberation_detail": "governance.Deliberation",
    "disclosure_detail": "governance.Disclosure",
}
urlpatterns = [
    path("", views.committee_list, name="committee_list"),
    path("committees/<int:pk>/", views.committee_detail, name="committee_detail"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("vacancies/", views.vacancy_list, name="vacancy_list"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("lists/", views.list_items, name="list_items"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("rules/", views.rules_list, name="rules_list"),
    path("rules/<int:pk>/", views.rules_detail, name="rules_detail"),
    path("deliberations/", views.deliberation_list, name="deliberation_list"),
    path("deliberations/<int:pk>/", views.deliberation_detail, name="deliberation_detail"),
    path("disclosures/", views.disclosure_list, name="disclosure_list"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="disclosure_detail"),
]
