from django.urls import path

app_name = "cases"
urlpatterns: list = []
from lotse.core.views import home  # noqa: E402

urlpatterns = [path("", home, name="my_cases")]
