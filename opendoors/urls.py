"""The site's URLs: each app's pages, sign-in under /accounts/."""

from django.contrib import admin
from django.urls import include, path, register_converter

from schools import invitations

from . import account, my_data, style_guide, views
from .api import api
from .converters import IdConverter
from .sign_out import sign_out

# Registered before the apps' URLs are included: they use `<id:…>` for row ids.
register_converter(IdConverter, "id")

urlpatterns = [
    path("", views.home, name="home"),
    path("style/", style_guide.style_guide, name="style_guide"),
    # Superusers only (opendoors/admin_site.py); everyone else is sent to its sign-in.
    path("admin/", admin.site.urls),
    # Before allauth's own: signing out also tells the browser to drop its cache.
    path("accounts/logout/", sign_out, name="account_logout"),
    # An invitation's page (public, by its token): schools/invitations.py.
    path(
        "accounts/invitation/<str:uidb64>/<str:token>/",
        invitations.invitation,
        name="invitation",
    ),
    path("accounts/", include("allauth.urls")),
    path("account/", account.account_page, name="account"),
    path("account/data/", my_data.my_data_page, name="account_data"),
    path("account/data/download/", my_data.my_data_download, name="account_data_download"),
    path("schools/", include("schools.urls")),
    path("district/", include("schools.district_urls")),
    path("", include("inquiry.urls")),
    path("", include("visits.urls")),
    path("", include("growth.urls")),
    path("", include("insights.urls")),
    path("", include("teams.urls")),
    path("", include("teams.protocol_urls")),
    path("api/", api.urls),
]

handler400 = "opendoors.security.bad_request"
# Friendly pages, also in development: opendoors/errors.py.
handler403 = "opendoors.errors.permission_denied"
handler404 = "opendoors.errors.page_not_found"
handler500 = "opendoors.errors.server_error"
