"""/gremienarbeit/: the Servicestelle's working level (meetings; papers and decisions)."""

from lotse.governance.meeting_urls import urlpatterns as meeting_patterns
from lotse.governance.paper_urls import urlpatterns as paper_patterns

app_name = "governance"
urlpatterns = [*meeting_patterns, *paper_patterns]
