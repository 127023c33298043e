from django.urls import path

from . import views, views_catalog

urlpatterns = [
    path("", views.home, name="learning-home"),
    path("my-skills/", views.my_skills, name="learning-my-skills"),
    path("refresh/", views.refresh, name="learning-refresh"),
    path("suggestions/<int:pk>/", views.suggestion_act, name="learning-suggestion"),
    path("team/", views.team, name="learning-team"),
    path("members/<int:pk>/", views.member, name="learning-member"),
    path("members/<int:pk>/assign/", views.assign, name="learning-assign"),
    path("catalog/", views_catalog.catalog, name="learning-catalog"),
    path("catalog/import/", views_catalog.catalog_import, name="learning-import"),
    path("catalog/<int:pk>/", views_catalog.resource, name="learning-resource"),
    path("skills/", views_catalog.skills, name="learning-skills"),
    path("skills/<int:pk>/", views_catalog.skill, name="learning-skill"),
]
