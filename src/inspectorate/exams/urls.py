"""Pages of the exams app (mounted at /exams/)."""

app_name = "exams"
urlpatterns: list = []  # filled in by the builder of the exams app
