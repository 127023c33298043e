from django.urls import path

from . import views
from .endpoints import api

urlpatterns = [
    path("profile/tokens/", views.tokens, name="api-tokens"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="api-token-revoke"),
    path("api/v1/", api.urls),
]
