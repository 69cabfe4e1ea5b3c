from django.urls import path, re_path

from lotse.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("start/team/", views.start_team, name="start_team"),
    path("barrierefreiheit/", views.accessibility_statement, name="accessibility"),
    re_path(
        r"^design/farbe/(?P<colour>[0-9a-f]{6})\.css$", views.brand_stylesheet, name="brand_css"
    ),
]
