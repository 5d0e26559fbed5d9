"""Password policy: Django's maintained validators plus a character-class rule.

Government systems (GB/T 22239-2019 等保 level 3) ask for complexity: at least three of
upper case, lower case, digits and symbols.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must contain at least %(n)d of: lower-case letters, "
                    "upper-case letters, digits and symbols."
                ),
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must contain at least %(n)d of: lower-case letters, upper-case "
            "letters, digits and symbols."
        ) % {"n": self.min_classes}
