"""Pages of the assessment app (mounted at /assessment/)."""

app_name = "assessment"
urlpatterns: list = []  # filled in by the builder of the assessment app
