"""Pages of the legal app (mounted at /legal/)."""

app_name = "legal"
urlpatterns: list = []  # filled in by the builder of the legal app
