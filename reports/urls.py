from django.urls import path  # noqa: F401 - the drafts pages join here

urlpatterns: list = []
