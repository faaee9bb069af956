"""Cases generated from parameter constraints, each saying why it exists.

A constraint names a base case (a request that otherwise succeeds) and a rule; the
generator varies that one parameter of the base case: at and across length bounds,
outside an enumeration, with characters outside the allowed set, in a wrong format,
missing or empty; or, for a value looked up as text, padded with spaces or in another case
(MySQL's utf8_unicode_ci ignores trailing spaces and case, not leading spaces). Rules that
only the docs state (``enforced: false``) still yield cases; by default those only ask for a
sane answer.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterator, Protocol

from .template import Template

if TYPE_CHECKING:   # types only: spec.py builds on this module, never the other way round
    from .errors import SpecError
    from .spec import BuildOutcome, Case, Disturbance, Effect, Outcome
    from .yamlfile import LinedDict


class CaseBuilder(Protocol):
    """What expansion needs of the spec loader that calls it."""

    def fail(self, line: int | None, message: str, fix: str) -> "SpecError": ...

    def outcome(self, raw: Any, line: int, source: str = ..., note: str = "") -> "Outcome": ...

    def documented(self, raw: Any, line: int) -> tuple["Outcome", ...]: ...

    def by_build(self, raw: list) -> tuple["BuildOutcome", ...]: ...

    def writes_of(self, outcome: "Outcome", otherwise: str) -> str: ...

    def effects_of(self, outcome: "Outcome", own: tuple["Effect", ...] = ()) -> tuple["Effect", ...]: ...

    def disturbs_of(self, outcome: "Outcome") -> "Disturbance | None": ...

    def effects(self, raw: list) -> tuple["Effect", ...]: ...


def generated_cases(builder: CaseBuilder, param: str, constraint: "LinedDict",
                    base: "Case", line: int) -> list["Case"]:
    """All cases one constraint yields, as variations of ``base``."""
    kind, rule = next(iter(constraint["rule"].items()))
    source = constraint["source"]
    enforced = constraint.get("enforced", True)
    note = constraint.get("note", "")
    who = f"stated by {source}" + ("" if enforced else "; the reference does not enforce it")

    def outcome_for(key: str):
        if key in constraint:
            return builder.outcome(constraint[key], constraint.line_of(key))
        if key == "outside" and not enforced:
            return builder.outcome("sane", line, note="not enforced by the reference: only a sane answer is required")
        raise builder.fail(line, f"constraint on {param!r} needs {key!r}",
                           f"add {key}: RESPONSE_NAME (or sane) to say what the reference answers")

    documented = ()
    if "documented_outside" in constraint:
        documented = builder.documented(constraint["documented_outside"], constraint.line_of("documented_outside"))

    own = {}  # outside samples that carry their own answer (its effects, other builds' answers)
    own_effects = {}
    own_builds = {}
    own_writes = {}   # an inline answer's word on what it changes, where it is not the base case's
    for index, sample in enumerate(constraint.get("outside_samples", [])):
        if isinstance(sample, dict):
            own[sample["value"]] = builder.outcome(sample["outside"], constraint["outside_samples"].line_of(index))
            own_builds[sample["value"]] = builder.by_build(sample.get("builds", []))
            if "effects" in sample:
                own_effects[sample["value"]] = builder.effects(sample["effects"])
            if "writes" in sample:
                if own[sample["value"]].label not in ("inline", "sane"):
                    raise builder.fail(constraint["outside_samples"].line_of(index), f"outside sample "
                                       f"{sample['value']!r}: writes beside the named response "
                                       f"{own[sample['value']].label!r}, which says itself what it changes",
                                       "remove writes (it is for an inline or sane answer)")
                own_writes[sample["value"]] = sample["writes"] or ""
    cases = []
    if kind in TEXT_RULES:
        source = _sent(builder, base, param, line)
        _check_recasable(builder, kind, param, source, line)
        probes, sent = _text_probes(kind, rule, param, source), _template
    else:
        probes, sent = _probes(kind, rule, param, constraint, builder, line), _literal_template
    for suffix, value, inside, why in probes:
        outcome = own[value] if not inside and value in own else outcome_for("within" if inside else "outside")
        cases.append(replace(
            base,
            name=f"{param}_{suffix}",
            why=f"{why} ({who}){': ' + note if note else ''}",
            line=line,
            request=_with_value(base.request, param, sent(value)),
            reference=outcome,
            documented=() if inside else documented,
            generated=True,
            writes=builder.writes_of(outcome, base.writes if inside else own_writes.get(value, base.writes)),
            effects=builder.effects_of(outcome, () if inside else own_effects.get(value, ())),
            disturbs=builder.disturbs_of(outcome),
            by_build=() if inside else own_builds.get(value, ()),
        ))
    return cases


def check_rule(builder: CaseBuilder, param: str, constraint: "LinedDict", siblings: list) -> None:
    """Refuse a rule that cannot be probed as written: bounds the wrong way round, a charset that is no
    character class, samples that break a sibling charset or sit inside the rule they should break."""
    kind, rule = next(iter(constraint["rule"].items()))
    line = constraint.line_of("rule")
    if kind == "length":
        lowest, highest = rule.get("min"), rule.get("max")
        if lowest is not None and highest is not None and lowest > highest:
            raise builder.fail(line, f"length of {param!r}: min {lowest} is above max {highest}",
                               "make min at most max (swap them if they are the wrong way round)")
        charsets = [other["rule"]["charset"] for other in siblings if "charset" in other["rule"]]
        sample = constraint.get("sample") or ""
        used = sample[:(highest if highest is not None else lowest or 0) + 1]
        for charset in charsets:
            pattern = _charset(charset)
            outside = [char for char in used if isinstance(pattern, re.Pattern) and not pattern.match(char)]
            if outside:
                raise builder.fail(constraint.line_of("sample"), f"the sample for the length of {param!r} holds "
                                   f"{outside[0]!r}, outside its charset [{charset}]",
                                   "use only characters of the charset in the sample, so the length probes "
                                   "test the length alone")
    elif kind == "charset":
        pattern = _charset(rule)
        if isinstance(pattern, str):
            raise builder.fail(line, f"charset {rule!r} of {param!r} is not a character class: {pattern}",
                               "write what goes inside [...] of a regex, such as a-zA-Z0-9_ (a leading - is a "
                               "literal -; escape [ ] and \\ with a backslash)")
        for sample in _sample_values(constraint):
            if all(pattern.match(char) for char in sample):
                raise builder.fail(constraint.line_of("outside_samples"), f"outside sample {sample!r} of "
                                   f"{param!r} has only characters inside [{rule}]",
                                   "give samples that each hold at least one character outside the charset")
    elif kind in TEXT_RULES and "outside_samples" in constraint:
        raise builder.fail(constraint.line_of("outside_samples"), f"{kind} rule on {param!r} takes no outside_samples: "
                           "it derives its values from the base case's", "remove outside_samples")
    elif kind == "enum":
        for sample in _sample_values(constraint):
            if sample in rule:
                raise builder.fail(constraint.line_of("outside_samples"), f"outside sample {sample!r} of "
                                   f"{param!r} is one of the enumeration's values",
                                   "give samples that are not in the enumeration")


def _charset(rule: str) -> re.Pattern | str:
    """The one-character class ``[rule]``, or what is wrong with ``rule``."""
    if not rule:
        return "it is empty"
    unescaped = re.sub(r"\\.", "", rule)
    if "[" in unescaped or "]" in unescaped:
        return "it holds an unescaped [ or ]"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return re.compile(f"[{rule}]")
        except (re.error, FutureWarning) as problem:
            return str(problem)


def _probes(kind: str, rule, param: str, constraint, builder, line) -> Iterator[tuple[str, str | None, bool, str]]:
    """(name suffix, value or None for omitted, inside the rule?, why) for each probe."""
    if kind == "length":
        sample = constraint.get("sample")
        lowest, highest = rule.get("min"), rule.get("max")
        longest = (highest if highest is not None else lowest) + 1
        if not sample or len(sample) < longest:
            raise builder.fail(constraint.line_of("sample"), f"length constraint on {param!r} needs a sample of at least {longest} characters",
                               f"add sample: a valid {param} value {longest} or more characters long")
        if lowest is not None and lowest > 0:
            yield f"length_{lowest - 1}", sample[:lowest - 1], False, f"{lowest - 1} characters, one below the minimum of {lowest}"
            yield f"length_{lowest}", sample[:lowest], True, f"{lowest} characters, exactly the minimum"
        if highest is not None:
            yield f"length_{highest}", sample[:highest], True, f"{highest} characters, exactly the maximum"
            yield f"length_{highest + 1}", sample[:highest + 1], False, f"{highest + 1} characters, one above the maximum of {highest}"
        return
    if kind == "required":
        yield "missing", None, False, f"{param} left out of the request"
        yield "empty", "", False, f"{param} sent empty"
        return
    samples = _sample_values(constraint)
    if not samples:
        raise builder.fail(line, f"{kind} constraint on {param!r} needs outside_samples",
                           f"add outside_samples: a list of {param} values that break the rule")
    described = {"enum": f"outside the enumeration {', '.join(rule) if isinstance(rule, list) else rule}",
                 "charset": f"with characters outside [{rule}]",
                 "format": f"not in the format {rule}"}[kind]
    for index, sample in enumerate(samples, 1):
        yield f"{kind}_{_slug(sample, index)}", sample, False, f"{sample!r}: {described}"


TEXT_RULES = ("padded", "mixed_case")
_PADDING = "  "


def _sent(builder, base: "Case", param: str, line: int) -> str:
    """The template source ``base`` sends for ``param`` (what a text rule pads or recases)."""
    template = dict(base.request).get(param)
    if template is None:
        raise builder.fail(line, f"base case {base.name!r} does not send {param!r}, so there is no value to pad "
                           "or recase",
                           f"name as base a case whose request sends {param}")
    return template.source


def _check_recasable(builder, kind: str, param: str, source: str, line: int) -> None:
    """A mixed_case rule needs letters outside the placeholders (a placeholder's value is not known at load)."""
    if kind == "mixed_case" and not any(part.swapcase() != part for kind_, part in Template.parse(source).parts
                                        if kind_ == "text"):
        raise builder.fail(line, f"mixed_case rule on {param!r}: the base case sends {source!r}, with no letter "
                           "outside placeholders to recase", "use a padded rule, or a base case that sends letters")


def _text_probes(kind: str, rule, param: str, source: str) -> Iterator[tuple[str, str, bool, str]]:
    """Probes of a text lookup: (name suffix, template source, MySQL reads it as the same text?, why)."""
    if kind == "mixed_case":
        recased = "".join(part.swapcase() if kind_ == "text" else "{" + part + "}"
                          for kind_, part in Template.parse(source).parts)
        yield "mixed_case", recased, True, \
            f"{recased!r}: the looked-up value in another case, equal under MySQL's collation"
        return
    for side in [rule] if isinstance(rule, str) else rule:
        if side == "trailing":
            yield "padded_trailing", source + _PADDING, True, \
                f"{param} with trailing spaces, which MySQL's PAD SPACE collation ignores"
        else:
            yield "padded_leading", " " + source, False, \
                f"{param} with a leading space, which MySQL compares (unless the parameter's filter strips it)"


def _sample_values(constraint) -> list[str]:
    """The outside samples' values (a sample is a value or {value, outside})."""
    return [sample["value"] if isinstance(sample, dict) else sample for sample in constraint.get("outside_samples", [])]


def _literal_template(value: str | None) -> Template | None:
    return None if value is None else Template.parse(value.replace("{", "{{").replace("}", "}}"))


def _template(source: str) -> Template:
    return Template.parse(source)


def _with_value(request, param: str, template: Template | None):
    items = [(name, sent) for name, sent in request if name != param]
    return tuple(items + [(param, template)])


def _slug(sample: str, index: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", sample.lower()).strip("_")[:24]
    return f"{slug}_{index}" if slug else f"sample_{index}"
