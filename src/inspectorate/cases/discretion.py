"""The discretion engine: from a fine band, the facts of a case and a benchmark to a
recommended fine, with a reason for every step (LEGAL-RULES §1.1, §1.2, §1.6).

Pure Python: no models, no database. The statutory bands are data
(:mod:`inspectorate.cases.law_data`, loaded with :meth:`Provision.from_dict`); so is the
benchmark (:data:`~inspectorate.cases.law_data.DEFAULT_BENCHMARK`, or a province's, with
its per-provision overrides). Money is in whole yuan; shares are ``Decimal``.

How :func:`recommend` decides, in this order:

1. **Not penalised** (行政处罚法 Art. 33). Evidence of no subjective fault ⇒ no penalty
   (¶2; "法律、行政法规另有规定的，从其规定" is left to the officer). A minor violation,
   corrected promptly, with no harm ⇒ no penalty (¶1, first sentence). Either way the party
   must be educated (¶3). A first offence with minor harm, corrected promptly, *may* go
   unpunished (¶1, second sentence, "可以"): the outcome is ``may_waive`` and the range and
   amount that would otherwise apply are still given, since the officer may still penalise.
   Art. 30 (under 14) and Art. 31 (no capacity at all) are not modelled: no facts for them.
2. **The statutory range** from the provision's method: a fixed ``range``; ``income_share``
   (安全生产法 Art. 95: the previous year's income × the share for the accident grade, a fixed
   amount); ``income_range`` (Arts. 96, 110: a share range of that income);
   ``accident_range`` (Art. 114: by accident grade, ×2 … ×5 when 情节特别严重、影响特别恶劣,
   ¶2); ``gains`` (Art. 103: gains ≥ 10万 ⇒ 2–5 × the gains, else the 10–20万 fallback).
   Facts a method needs and lacks raise :class:`DiscretionError`.
3. **Fixed amounts take no tier**: 应急〔2024〕90号 covers fine amounts "法条已明确固定金额
   的除外", so an ``income_share`` fine is ``FIXED`` at its amount.
4. **Mitigation and aggravation.** M = the mandatory mitigating circumstances (Art. 32 (1)–(4):
   eliminated the harm, coerced or deceived, confessed an unknown violation, meritorious
   service; Art. 30: aged 14–18), all "应当从轻或者减轻"; O = the optional one (Art. 31:
   capacity partly impaired, "可以"); A = the aggravating ones (a repeat within one year,
   harm caused or serious circumstances, refusing or obstructing enforcement — factors of the
   benchmark, 应急〔2024〕90号: "违法的事实、性质、手段、后果、情节和改正措施" — and breaking
   emergency measures during an emergency, Art. 49 "从重"). With M ≥ 2, A = 0 and a statutory
   minimum above 0 the fine is **mitigated** (减轻): from ``mitigated_floor`` × the minimum
   (rounded up) to one yuan under the minimum. Otherwise net = M + O − A picks the
   **lighter** (> 0), **general** (= 0) or **heavier** (< 0) band. The "M ≥ 2" threshold
   and the floor are policy, not statute: Art. 32 lets the agency choose 从轻 or 减轻.
5. **The band's range**: minimum + low × (maximum − minimum) … minimum + high × (maximum −
   minimum), rounded half up to the yuan — unless the benchmark overrides it for this
   provision and tier (a province's own figures).
6. **The amount**: the middle of the range rounded half up to ``round_to`` yuan; if that
   leaves the range, the nearest multiple inside it; if there is none, the middle itself.

The benchmark's tier split (0–30 / 30–70 / 70–100 %) is local practice kept as data, not a
confirmed national rule (LEGAL-RULES §1.6 and addendum §2); 应急管理部令第12号 (in force
2024-01-01) asks that like cases be treated alike, which is what a fixed rule gives.

Also here: :func:`daily_total` (安全生产法 Art. 112, the daily continuing fine) and
:func:`one_fine_per_act` (行政处罚法 Art. 29, one fine per act, the highest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

PARTIES = frozenset({"unit", "person", "principal"})
STAGES = frozenset({"base", "uncorrected", "aggravated", "accident"})
METHODS = frozenset({"range", "income_share", "income_range", "accident_range", "gains"})
ACCIDENT_GRADES = ("general", "larger", "major", "especially_major")
BAND_TIERS = ("lighter", "general", "heavier")

#: How many mandatory mitigating circumstances (and no aggravating one) make the fine go
#: below the statutory minimum (减轻) instead of into the lighter band (从轻). Policy.
MITIGATE_BELOW_MINIMUM_AT = 2

_ONE = Decimal(1)


class DiscretionError(ValueError):
    """The facts or the data do not allow a recommendation; the message says why."""


class Tier(StrEnum):
    NONE = "none"  # 不予处罚
    WAIVABLE = "waivable"  # 首违可不罚
    MITIGATED = "mitigated"  # 减轻
    LIGHTER = "lighter"  # 从轻
    GENERAL = "general"  # 一般
    HEAVIER = "heavier"  # 从重
    FIXED = "fixed"  # the statute fixes the amount by a formula


# --------------------------------------------------------------------------- data types


@dataclass(frozen=True, slots=True)
class Provision:
    """One fine band of the statute (see :mod:`inspectorate.cases.law_data` for the keys)."""

    code: str
    article: int
    item: int
    party: str
    stage: str
    method: str
    min_amount: int
    max_amount: int
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    other_penalties: str = ""
    violation: str = ""
    citation: str = ""

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise DiscretionError(
                _("%(code)s: unknown calculation method %(method)s.")
                % {"code": self.code, "method": self.method}
            )
        if self.party not in PARTIES or self.stage not in STAGES:
            raise DiscretionError(
                _("%(code)s: unknown party %(party)s or stage %(stage)s.")
                % {"code": self.code, "party": self.party, "stage": self.stage}
            )
        if not 0 <= self.min_amount <= self.max_amount:
            raise DiscretionError(
                _("%(code)s: the minimum must be between 0 and the maximum.") % {"code": self.code}
            )
        needed = _PARAMS_NEEDED[self.method]
        if any(key not in self.params for key in needed):
            raise DiscretionError(
                _("%(code)s: the %(method)s method needs the parameters %(keys)s.")
                % {"code": self.code, "method": self.method, "keys": ", ".join(needed)}
            )

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Provision:
        """A provision from a :data:`~inspectorate.cases.law_data.PROVISIONS` row (extra keys,
        such as ``effective_from``, are ignored)."""
        return cls(
            code=d["code"],
            article=int(d["article"]),
            item=int(d.get("item", 0)),
            party=d["party"],
            stage=d["stage"],
            method=d["method"],
            min_amount=int(d["min_amount"]),
            max_amount=int(d["max_amount"]),
            params=d.get("params") or {},
            other_penalties=d.get("other_penalties", ""),
            violation=d.get("violation", ""),
            citation=d.get("citation", ""),
        )


_PARAMS_NEEDED: dict[str, tuple[str, ...]] = {
    "range": (),
    "income_share": ("shares",),
    "income_range": ("low", "high"),
    "accident_range": ("grades", "aggravated_multiple"),
    "gains": ("threshold", "multiple", "fallback"),
}


@dataclass(frozen=True, slots=True)
class Band:
    """A tier of the benchmark as shares of the statutory range (``low`` … ``high``)."""

    tier: str
    low: Decimal
    high: Decimal
    conditions: str = ""


def _percent(share: Decimal) -> str:
    """0.30 → "30", 0.125 → "12.5"."""
    value = share * 100
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


@dataclass(frozen=True, slots=True)
class Benchmark:
    """A discretion benchmark: the tiers' shares, the 减轻 floor, the rounding, and a
    province's overrides ``(provision code, tier) → (min, max)``."""

    code: str
    name: str
    source: str
    bands: tuple[Band, ...]
    mitigated_floor: Decimal
    round_to: int
    overrides: Mapping[tuple[str, str], tuple[int, int]] = field(default_factory=dict, hash=False)
    # Precomputed in __post_init__: tier -> (low num, low den, high num, high den, "low %",
    # "high %"), and the floor as a fraction.
    _tiers: dict[str, tuple[int, int, int, int, str, str]] = field(
        init=False, repr=False, compare=False, hash=False
    )
    _floor: tuple[int, int] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        tiers: dict[str, tuple[int, int, int, int, str, str]] = {}
        for band in self.bands:
            if not Decimal(0) <= band.low <= band.high <= _ONE:
                raise DiscretionError(
                    _("Benchmark %(code)s: the %(tier)s band must lie within 0–1.")
                    % {"code": self.code, "tier": band.tier}
                )
            low_n, low_d = band.low.as_integer_ratio()
            high_n, high_d = band.high.as_integer_ratio()
            tiers[band.tier] = (
                low_n,
                low_d,
                high_n,
                high_d,
                _percent(band.low),
                _percent(band.high),
            )
        missing = [t for t in BAND_TIERS if t not in tiers]
        if missing:
            raise DiscretionError(
                _("Benchmark %(code)s has no band for %(tiers)s.")
                % {"code": self.code, "tiers": ", ".join(missing)}
            )
        if not Decimal(0) < self.mitigated_floor <= _ONE:
            raise DiscretionError(
                _("Benchmark %(code)s: the mitigated floor must be above 0 and at most 1.")
                % {"code": self.code}
            )
        for (code, tier), (low, high) in self.overrides.items():
            if not 0 <= low <= high:
                raise DiscretionError(
                    _(
                        "Benchmark %(code)s: the override for %(provision)s (%(tier)s) is not a range."
                    )
                    % {"code": self.code, "provision": code, "tier": tier}
                )
        object.__setattr__(self, "_tiers", tiers)
        object.__setattr__(self, "_floor", self.mitigated_floor.as_integer_ratio())
        object.__setattr__(self, "round_to", max(int(self.round_to), 1))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Benchmark:
        """A benchmark from a dict shaped like
        :data:`~inspectorate.cases.law_data.DEFAULT_BENCHMARK`. ``overrides`` may be a list
        of ``{"provision", "tier", "min_amount", "max_amount"}`` dicts or a mapping
        ``(provision code, tier) → (min, max)``."""
        raw = d.get("overrides") or ()
        overrides: dict[tuple[str, str], tuple[int, int]] = {}
        if isinstance(raw, Mapping):
            for (code, tier), (low, high) in raw.items():
                overrides[(code, tier)] = (int(low), int(high))
        else:
            for o in raw:
                overrides[(o["provision"], o["tier"])] = (
                    int(o["min_amount"]),
                    int(o["max_amount"]),
                )
        return cls(
            code=d["code"],
            name=d.get("name", ""),
            source=d.get("source", ""),
            bands=tuple(
                Band(
                    tier=b["tier"],
                    low=Decimal(str(b["low"])),
                    high=Decimal(str(b["high"])),
                    conditions=b.get("conditions", ""),
                )
                for b in d["bands"]
            ),
            mitigated_floor=Decimal(str(d.get("mitigated_floor", "0.50"))),
            round_to=int(d.get("round_to", 100)),
            overrides=overrides,
        )


@dataclass(frozen=True, slots=True)
class Facts:
    """What the officer established about the act and the party."""

    # 行政处罚法 Art. 33
    no_fault: bool = False
    minor: bool = False
    corrected_promptly: bool = False
    no_harm: bool = False
    first_offence: bool = False
    minor_harm: bool = False
    # Art. 32 (应当从轻或者减轻)
    eliminated_harm: bool = False
    coerced: bool = False
    confessed: bool = False
    meritorious: bool = False
    minor_age: bool = False  # Art. 30: aged 14–18 (应当)
    limited_capacity: bool = False  # Art. 31: capacity partly impaired (可以)
    # Aggravating
    repeat: bool = False  # 一年内再次违法
    serious_harm: bool = False  # 造成危害后果 / 情节严重
    obstruction: bool = False  # 拒绝、阻挠执法
    emergency: bool = False  # 突发事件应对期间 (Art. 49)
    # For the formula methods
    accident_grade: str = ""  # "general" | "larger" | "major" | "especially_major"
    previous_year_income: int | None = None
    especially_serious: bool = False  # 安全生产法 Art. 114 ¶2
    illegal_gains: int | None = None  # 0 = no gains


@dataclass(frozen=True, slots=True)
class Recommendation:
    outcome: str  # "penalty" | "no_penalty" | "may_waive"
    tier: str
    range_min: int
    range_max: int
    amount: int
    statutory_min: int
    statutory_max: int
    other_penalties: str
    reasons: tuple[str, ...]

    def allows(self, amount: int) -> bool:
        """Whether ``amount`` lies in the recommended range (both ends included)."""
        return self.range_min <= amount <= self.range_max


# --------------------------------------------------------------------------- the engine

# The reasons' msgids, marked for makemessages and translated once per language (gettext
# through Django's thread-local machinery costs more than the rest of ``recommend``).
_MESSAGES: dict[str, str] = {
    "statutory": gettext_noop("Statutory range under %(citation)s: %(min)s–%(max)s yuan."),
    "income_share": gettext_noop(
        "Fixed amount under %(citation)s (%(grade)s): %(percent)s%% of the previous year's "
        "income of %(income)s yuan, %(amount)s yuan."
    ),
    "accident_range": gettext_noop(
        "Statutory range under %(citation)s (%(grade)s): %(min)s–%(max)s yuan."
    ),
    "especially_serious": gettext_noop(
        "Especially serious circumstances and especially bad impact (安全生产法 Art. 114 ¶2): "
        "%(low)s to %(high)s times those amounts, %(min)s–%(max)s yuan."
    ),
    "income_range": gettext_noop(
        "Statutory range under %(citation)s: %(low)s%%–%(high)s%% of the previous year's "
        "income of %(income)s yuan, %(min)s–%(max)s yuan."
    ),
    "gains": gettext_noop(
        "Illegal gains of %(gains)s yuan reach %(threshold)s yuan: %(low)s to %(high)s times "
        "the gains under %(citation)s, %(min)s–%(max)s yuan."
    ),
    "gains_fallback": gettext_noop(
        "Illegal gains of %(gains)s yuan, under %(threshold)s yuan: statutory range under "
        "%(citation)s: %(min)s–%(max)s yuan."
    ),
    "general_accident": gettext_noop("general accident"),
    "larger_accident": gettext_noop("larger accident"),
    "major_accident": gettext_noop("major accident"),
    "especially_major_accident": gettext_noop("especially major accident"),
    "no_fault": gettext_noop(
        "No penalty: the party has proved it had no subjective fault (行政处罚法 Art. 33 ¶2)."
    ),
    "minor": gettext_noop(
        "No penalty: the violation is minor, was corrected promptly and caused no harm "
        "(行政处罚法 Art. 33 ¶1)."
    ),
    "educate": gettext_noop("The party must be educated (行政处罚法 Art. 33 ¶3)."),
    "waivable": gettext_noop(
        "May go unpunished: first offence, minor harm, corrected promptly (行政处罚法 Art. 33 "
        "¶1, 可以不予行政处罚); if the agency penalises, the range below applies."
    ),
    "fixed": gettext_noop(
        "The law fixes the amount, so the discretion tiers do not apply (应急〔2024〕90号 "
        "excludes fixed amounts)."
    ),
    "eliminated_harm": gettext_noop(
        "Mitigating (行政处罚法 Art. 32(1)): eliminated or reduced the harm on its own initiative."
    ),
    "coerced": gettext_noop(
        "Mitigating (行政处罚法 Art. 32(2)): acted under coercion or deception by others."
    ),
    "confessed": gettext_noop(
        "Mitigating (行政处罚法 Art. 32(3)): confessed a violation the agency did not yet know of."
    ),
    "meritorious": gettext_noop(
        "Mitigating (行政处罚法 Art. 32(4)): meritorious service in the investigation."
    ),
    "minor_age": gettext_noop(
        "Mitigating (行政处罚法 Art. 30): aged 14 to 18 at the time of the act."
    ),
    "limited_capacity": gettext_noop(
        "Optional mitigation (行政处罚法 Art. 31): capacity to understand or control the act "
        "only partly impaired."
    ),
    "repeat": gettext_noop(
        "Aggravating (benchmark factor, 应急〔2024〕90号): another violation within one year."
    ),
    "serious_harm": gettext_noop(
        "Aggravating (benchmark factor, 应急〔2024〕90号): caused harm or serious circumstances."
    ),
    "obstruction": gettext_noop(
        "Aggravating (benchmark factor, 应急〔2024〕90号): refused or obstructed enforcement."
    ),
    "emergency": gettext_noop(
        "Aggravating (行政处罚法 Art. 49): broke emergency measures during an emergency."
    ),
    "mitigated": gettext_noop(
        "Mitigated below the statutory minimum (减轻, 行政处罚法 Art. 32): %(count)s mandatory "
        "mitigating circumstances and none aggravating: %(min)s–%(max)s yuan."
    ),
    "no_minimum": gettext_noop(
        "The statute sets no minimum to go below, so the lighter tier (从轻) applies."
    ),
    "override": gettext_noop(
        "Range set by %(benchmark)s for this provision and tier: %(min)s–%(max)s yuan."
    ),
    "lighter": gettext_noop(
        "Lighter tier (从轻): mitigating circumstances outweigh aggravating ones; "
        "%(low)s–%(high)s%% of the statutory range: %(min)s–%(max)s yuan."
    ),
    "general": gettext_noop(
        "General tier (一般): no circumstance tips the balance; %(low)s–%(high)s%% of the "
        "statutory range: %(min)s–%(max)s yuan."
    ),
    "heavier": gettext_noop(
        "Heavier tier (从重): aggravating circumstances outweigh mitigating ones; "
        "%(low)s–%(high)s%% of the statutory range: %(min)s–%(max)s yuan."
    ),
    "amount": gettext_noop(
        "Recommended amount: %(amount)s yuan, the middle of the range rounded to %(step)s yuan."
    ),
    "amount_exact": gettext_noop("Recommended amount: %(amount)s yuan, the middle of the range."),
}

# The circumstances in the order their reasons are given (keys of _MESSAGES and Facts).
_CIRCUMSTANCES = (
    "eliminated_harm",
    "coerced",
    "confessed",
    "meritorious",
    "minor_age",
    "limited_capacity",
    "repeat",
    "serious_harm",
    "obstruction",
    "emergency",
)

_TRANSLATED: dict[str | None, dict[str, str]] = {}


def _messages() -> dict[str, str]:
    """The reasons' texts in the active language (translated on first use, then kept: the
    catalogues do not change while the process runs)."""
    language = get_language()
    texts = _TRANSLATED.get(language)
    if texts is None:
        texts = {key: _(msgid) for key, msgid in _MESSAGES.items()}
        _TRANSLATED[language] = texts
    return texts


def _yuan(amount: int) -> str:
    return f"{amount:,}"


def _round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (both ≥ 0, denominator > 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def _decimal_yuan(value: Decimal) -> int:
    return int(value.quantize(_ONE, rounding=ROUND_HALF_UP))


def _need_grade(provision: Provision, facts: Facts, known: Mapping[str, Any]) -> str:
    grade = facts.accident_grade
    if not grade:
        raise DiscretionError(
            _("%(citation)s: the accident grade is needed.") % {"citation": provision.citation}
        )
    if grade not in known:
        raise DiscretionError(_("Unknown accident grade: %(grade)s.") % {"grade": grade})
    return grade


def _need_income(provision: Provision, facts: Facts) -> int:
    income = facts.previous_year_income
    if income is None or income < 0:
        raise DiscretionError(
            _("%(citation)s: the previous year's income is needed.")
            % {"citation": provision.citation}
        )
    return income


def _statutory(
    provision: Provision, facts: Facts, texts: dict[str, str], reasons: list[str]
) -> tuple[int, int, bool]:
    """The statutory range for these facts, and whether it is a fixed amount."""
    method = provision.method
    if method == "range":
        low, high = provision.min_amount, provision.max_amount
        reasons.append(
            texts["statutory"]
            % {"citation": provision.citation, "min": _yuan(low), "max": _yuan(high)}
        )
        return low, high, False
    params = provision.params
    if method == "income_share":
        shares = params["shares"]
        grade = _need_grade(provision, facts, shares)
        income = _need_income(provision, facts)
        share = Decimal(str(shares[grade]))
        amount = _decimal_yuan(income * share)
        reasons.append(
            texts["income_share"]
            % {
                "citation": provision.citation,
                "percent": _percent(share),
                "income": _yuan(income),
                "grade": texts[grade + "_accident"],
                "amount": _yuan(amount),
            }
        )
        return amount, amount, True
    if method == "accident_range":
        grades = params["grades"]
        grade = _need_grade(provision, facts, grades)
        low, high = (int(v) for v in grades[grade])
        reasons.append(
            texts["accident_range"]
            % {
                "citation": provision.citation,
                "grade": texts[grade + "_accident"],
                "min": _yuan(low),
                "max": _yuan(high),
            }
        )
        if facts.especially_serious:
            times_low, times_high = (int(v) for v in params["aggravated_multiple"])
            low, high = low * times_low, high * times_high
            reasons.append(
                texts["especially_serious"]
                % {"low": times_low, "high": times_high, "min": _yuan(low), "max": _yuan(high)}
            )
        return low, high, False
    if method == "income_range":
        income = _need_income(provision, facts)
        share_low = Decimal(str(params["low"]))
        share_high = Decimal(str(params["high"]))
        low, high = _decimal_yuan(income * share_low), _decimal_yuan(income * share_high)
        reasons.append(
            texts["income_range"]
            % {
                "citation": provision.citation,
                "low": _percent(share_low),
                "high": _percent(share_high),
                "income": _yuan(income),
                "min": _yuan(low),
                "max": _yuan(high),
            }
        )
        return low, high, False
    # gains
    gains = facts.illegal_gains
    if gains is None or gains < 0:
        raise DiscretionError(
            _("%(citation)s: the illegal gains are needed (0 when there are none).")
            % {"citation": provision.citation}
        )
    threshold = int(params["threshold"])
    values: dict[str, object] = {
        "gains": _yuan(gains),
        "threshold": _yuan(threshold),
        "citation": provision.citation,
    }
    if gains >= threshold:  # "违法所得十万元以上": 以上 includes the figure itself
        times_low, times_high = (int(v) for v in params["multiple"])
        low, high = gains * times_low, gains * times_high
        key = "gains"
        values["low"], values["high"] = times_low, times_high
    else:  # "没有违法所得或者违法所得不足十万元"
        low, high = (int(v) for v in params["fallback"])
        key = "gains_fallback"
    values["min"], values["max"] = _yuan(low), _yuan(high)
    reasons.append(texts[key] % values)
    return low, high, False


def _amount(low: int, high: int, step: int) -> tuple[int, bool]:
    """The middle of [low, high] rounded half up to ``step``, kept inside the range; and
    whether the rounding to ``step`` held (False: the exact middle, to the yuan)."""
    total = low + high  # twice the middle
    rounded = (total + step) // (2 * step) * step
    if low <= rounded <= high:
        return rounded, True
    if rounded > high:
        inside = high // step * step
        if inside >= low:
            return inside, True
    else:
        inside = -(-low // step) * step
        if inside <= high:
            return inside, True
    return (total + 1) // 2, False


def _no_penalty(
    provision: Provision, facts: Facts, texts: dict[str, str], key: str
) -> Recommendation:
    try:
        low, high, _fixed = _statutory(provision, facts, texts, [])
    except DiscretionError:
        low, high = provision.min_amount, provision.max_amount
    return Recommendation(
        outcome="no_penalty",
        tier=Tier.NONE,
        range_min=0,
        range_max=0,
        amount=0,
        statutory_min=low,
        statutory_max=high,
        other_penalties="",
        reasons=(texts[key], texts["educate"]),
    )


def recommend(provision: Provision, facts: Facts, benchmark: Benchmark) -> Recommendation:
    """The recommended outcome, range and amount for one violation (see the module doc)."""
    texts = _messages()
    if facts.no_fault:
        return _no_penalty(provision, facts, texts, "no_fault")
    if facts.minor and facts.corrected_promptly and facts.no_harm:
        return _no_penalty(provision, facts, texts, "minor")
    reasons: list[str] = []
    waivable = facts.first_offence and facts.minor_harm and facts.corrected_promptly
    if waivable:
        reasons.append(texts["waivable"])
    stat_min, stat_max, fixed = _statutory(provision, facts, texts, reasons)

    if fixed:
        reasons.append(texts["fixed"])
        return Recommendation(
            outcome="may_waive" if waivable else "penalty",
            tier=Tier.WAIVABLE if waivable else Tier.FIXED,
            range_min=stat_min,
            range_max=stat_max,
            amount=stat_min,
            statutory_min=stat_min,
            statutory_max=stat_max,
            other_penalties=provision.other_penalties,
            reasons=tuple(reasons),
        )

    mandatory = (
        facts.eliminated_harm
        + facts.coerced
        + facts.confessed
        + facts.meritorious
        + facts.minor_age
    )
    aggravating = facts.repeat + facts.serious_harm + facts.obstruction + facts.emergency
    if mandatory or aggravating or facts.limited_capacity:
        for name in _CIRCUMSTANCES:
            if getattr(facts, name):
                reasons.append(texts[name])

    overrides = benchmark.overrides
    tier: Tier
    if mandatory >= MITIGATE_BELOW_MINIMUM_AT and not aggravating and stat_min > 0:
        tier = Tier.MITIGATED
        override = overrides.get((provision.code, tier)) if overrides else None
        if override is not None:
            low, high = override
        else:
            num, den = benchmark._floor
            high = stat_min - 1
            low = min(-(-stat_min * num // den), high)  # ceil(minimum × floor)
        reasons.append(
            texts["override" if override is not None else "mitigated"]
            % {
                "count": mandatory,
                "benchmark": benchmark.name,
                "min": _yuan(low),
                "max": _yuan(high),
            }
        )
    else:
        if mandatory >= MITIGATE_BELOW_MINIMUM_AT and not aggravating:
            reasons.append(texts["no_minimum"])
        net = mandatory + facts.limited_capacity - aggravating
        tier = Tier.LIGHTER if net > 0 else Tier.GENERAL if net == 0 else Tier.HEAVIER
        override = overrides.get((provision.code, tier)) if overrides else None
        low_n, low_d, high_n, high_d, low_pct, high_pct = benchmark._tiers[tier]
        if override is not None:
            low, high = override
        else:
            span = stat_max - stat_min
            low = stat_min + _round_half_up(span * low_n, low_d)
            high = stat_min + _round_half_up(span * high_n, high_d)
        reasons.append(
            texts["override" if override is not None else tier]
            % {
                "low": low_pct,
                "high": high_pct,
                "benchmark": benchmark.name,
                "min": _yuan(low),
                "max": _yuan(high),
            }
        )

    amount, stepped = _amount(low, high, benchmark.round_to)
    if stepped:
        reasons.append(
            texts["amount"] % {"amount": _yuan(amount), "step": _yuan(benchmark.round_to)}
        )
    else:
        reasons.append(texts["amount_exact"] % {"amount": _yuan(amount)})
    return Recommendation(
        outcome="may_waive" if waivable else "penalty",
        tier=Tier.WAIVABLE if waivable else tier,
        range_min=low,
        range_max=high,
        amount=amount,
        statutory_min=stat_min,
        statutory_max=stat_max,
        other_penalties=provision.other_penalties,
        reasons=tuple(reasons),
    )


# --------------------------------------------------------------------------- other rules


def daily_total(original_fine: int, order_date: dt.date, until: dt.date) -> tuple[int, int]:
    """安全生产法 Art. 112: a unit ordered to correct and fined that refuses to correct may be
    fined the original amount again for every day, counted from the day after the
    correction order up to and including ``until``. Returns (days, total of those fines);
    (0, 0) when ``until`` is not after the order date."""
    if original_fine < 0:
        raise DiscretionError(_("The original fine cannot be negative."))
    days = (until - order_date).days
    if days <= 0:
        return 0, 0
    return days, days * original_fine


def one_fine_per_act(lines: Iterable[tuple[Hashable, int]]) -> tuple[int, set[int]]:
    """行政处罚法 Art. 29: one act is fined once; when it breaks several norms, the highest
    fine applies. ``lines`` are (act key, amount) in order. Returns the total of the fines
    that count and the indices of the lines absorbed by a higher (or earlier equal) one."""
    best: dict[Hashable, tuple[int, int]] = {}
    absorbed: set[int] = set()
    for index, (act, amount) in enumerate(lines):
        kept = best.get(act)
        if kept is None:
            best[act] = (index, amount)
        elif amount > kept[1]:
            absorbed.add(kept[0])
            best[act] = (index, amount)
        else:
            absorbed.add(index)
    return sum(amount for _index, amount in best.values()), absorbed
