"""/zusammenarbeit/: the portal for every actor of the region (no personal data of clients)."""

from lotse.portal.base_urls import urlpatterns as base_patterns
from lotse.portal.decision_urls import urlpatterns as decision_patterns
from lotse.portal.goal_urls import urlpatterns as goal_patterns

app_name = "portal"
urlpatterns = [*base_patterns, *goal_patterns, *decision_patterns]
