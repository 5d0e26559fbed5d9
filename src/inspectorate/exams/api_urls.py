"""API of the exams app (under /api/v1/)."""

urlpatterns: list = []  # filled in by the builder of the exams app
