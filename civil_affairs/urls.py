import importlib
from types import ModuleType

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from civil_affairs.core import views as core_views
from civil_affairs.crosscheck import api as crosscheck_api
from civil_affairs.payments import api as payments_api
from civil_affairs.people.api import PersonViewSet


def _domain_module(app: str, name: str) -> ModuleType | None:
    """A domain app's `urls` or `api` module, if it has one: the project knows the list of
    domain apps (settings.DOMAIN_APPS), never what is in them."""
    try:
        return importlib.import_module(f"{app}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.{name}":
            raise
        return None


# No format-suffix routes (`…/approve.json/`): JSON is the API's one format, and the extra
# actions take no `format` argument. The walk (tests/security) calls them to make sure.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("people", PersonViewSet, basename="person")
domain_apis = [_domain_module(app, "api") for app in settings.DOMAIN_APPS]
for prefix, viewset, basename in [
    *(route for api in domain_apis if api is not None for route in getattr(api, "routes", [])),
    *payments_api.routes,
    *crosscheck_api.routes,
]:
    router.register(prefix, viewset, basename=basename)

handler404 = "civil_affairs.core.views.not_found"
handler500 = "civil_affairs.core.views.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("people/", include("civil_affairs.people.urls")),
    *(
        path(f"{app}/", include(f"{app}.urls"))
        for app in settings.DOMAIN_APPS
        if _domain_module(app, "urls") is not None
    ),
    path("payments/", include("civil_affairs.payments.urls")),
    path("crosscheck/", include("civil_affairs.crosscheck.urls")),
    path("imports/", include("civil_affairs.imports.urls")),
    path("dashboard/", include("civil_affairs.dashboard.urls")),
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    # the schema and its page are for staff: a login first (the page's script is a file of
    # its own, for the Content-Security-Policy)
    path(
        "api/schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="schema",
    ),
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="schema", template_name="api/swagger_ui.html"
            )
        ),
        name="swagger-ui",
    ),
]
