"""API of the assessment app (under /api/v1/)."""

urlpatterns: list = []  # filled in by the builder of the assessment app
