"""API of the legal app (under /api/v1/)."""

urlpatterns: list = []  # filled in by the builder of the legal app
