from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Enforcement officer")  # 执法人员
    TEAM_LEAD = "team_lead", _("Team lead")  # 执法队长
    LEGAL_REVIEWER = "legal_reviewer", _("Legal reviewer")  # 法制审核员
    HEAD = "head", _("Agency head")  # 机关负责人
    SUPERVISOR = "supervisor", _("Upper-level supervisor")  # 上级督查
    ADMIN = "admin", _("System administrator")  # 系统管理员
    ENTERPRISE = "enterprise", _("Enterprise user")  # 企业用户


STAFF_ROLES = frozenset(
    {Role.OFFICER, Role.TEAM_LEAD, Role.LEGAL_REVIEWER, Role.HEAD, Role.SUPERVISOR, Role.ADMIN}
)
