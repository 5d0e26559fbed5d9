"""Which results of a reconsideration or lawsuit overturn a decision, with their sources.

A decision is *overturned* when the reconsideration body or the court revokes it (in whole
or in part, with or without an order to decide again), changes it, or confirms it unlawful.
Upholding it, dismissing the claim, or a withdrawal or termination leave it standing.

Sources: 《中华人民共和国行政复议法》(2023 revision, in force 2024-01-01) Art. 63 (变更),
Art. 64 (撤销、部分撤销，可责令重新作出), Art. 65 (确认违法), Art. 66 (责令履行); Art. 68
(维持), Art. 69 (驳回复议请求), Art. 41 and 74 (终止, 撤回); 《中华人民共和国行政诉讼法》
(2017 revision) Art. 69 (驳回诉讼请求), Art. 70 (撤销或者部分撤销，可判决重新作出), Art. 74
(确认违法), Art. 77 (变更, a penalty obviously improper), Art. 62 (撤诉).
"""

from __future__ import annotations

from dataclasses import dataclass

from inspectorate.cases.models import ChallengeKind, ChallengeResult


@dataclass(frozen=True)
class ResultRule:
    overturned: bool
    reconsideration_basis: str
    lawsuit_basis: str

    def basis(self, kind: str) -> str:
        return (
            self.reconsideration_basis
            if kind == ChallengeKind.RECONSIDERATION
            else self.lawsuit_basis
        )


RESULT_RULES: dict[str, ResultRule] = {
    ChallengeResult.UPHELD: ResultRule(
        False, "《行政复议法》第六十八条", "《行政诉讼法》第六十九条"
    ),
    ChallengeResult.DISMISSED: ResultRule(
        False, "《行政复议法》第六十九条", "《行政诉讼法》第六十九条"
    ),
    ChallengeResult.REVOKED: ResultRule(True, "《行政复议法》第六十四条", "《行政诉讼法》第七十条"),
    ChallengeResult.REVOKED_REDO: ResultRule(
        True, "《行政复议法》第六十四条", "《行政诉讼法》第七十条"
    ),
    ChallengeResult.CHANGED: ResultRule(
        True, "《行政复议法》第六十三条", "《行政诉讼法》第七十七条"
    ),
    ChallengeResult.UNLAWFUL: ResultRule(
        True, "《行政复议法》第六十五条", "《行政诉讼法》第七十四条"
    ),
    ChallengeResult.WITHDRAWN: ResultRule(
        False, "《行政复议法》第四十一条、第七十四条", "《行政诉讼法》第六十二条"
    ),
}

OVERTURNED_RESULTS: frozenset[str] = frozenset(
    code for code, rule in RESULT_RULES.items() if rule.overturned
)
