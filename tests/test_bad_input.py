"""Bad input never gives a silent wrong answer: every public helper, every parameter, bad values (issue 9).

For each public function of ``helpers`` (found automatically, see ``tests/bad_values.py``)
and each of its parameters, the fixed bad values for the parameter's kind and a few
drawn by hypothesis (derandomized, a fixed number per parameter) must give a
``ValueError`` whose message names the parameter; an exercise's ``answer`` must get a
``CheckResult`` whatever it is. A new public helper without a valid example call in
``tests/helper_examples.py`` fails :func:`test_every_public_helper_is_covered`.
"""

from __future__ import annotations

import pandas as pd
import pytest

import helpers  # noqa: F401  (registers every schema)
from tests.bad_values import Example, attack, parameters_of, public_functions
from tests.helper_examples import EXAMPLES

FUNCTIONS = public_functions()


def _cases():
    cases = []
    for qualname, function in FUNCTIONS.items():
        parameters, _ = parameters_of(qualname, function, EXAMPLES.get(qualname))
        for parameter in parameters:
            cases.append(pytest.param(qualname, parameter, id=f"{qualname.removeprefix('helpers.')}:{parameter.name}"))
    return cases


def test_every_public_helper_is_covered():
    """Every public helper's parameters can be attacked: a valid call is declared, every kind is known."""
    problems = []
    for qualname, function in FUNCTIONS.items():
        problems += parameters_of(qualname, function, EXAMPLES.get(qualname))[1]
    stale = sorted(set(EXAMPLES) - set(FUNCTIONS))
    problems += [f"tests/helper_examples.py has an example for {name}, which is not a public helper" for name in stale]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("qualname", sorted(q for q in FUNCTIONS if parameters_of(q, FUNCTIONS[q],
                                                                                   EXAMPLES.get(q))[0]))
def test_the_example_is_a_valid_call(qualname):
    """The starting point of the attacks is itself valid (else every attack would pass for a wrong reason)."""
    example = EXAMPLES.get(qualname, Example())
    try:
        FUNCTIONS[qualname](**example.fresh_arguments())
    finally:
        if example.cleanup is not None:
            example.cleanup()


@pytest.mark.parametrize(("qualname", "parameter"), _cases())
def test_bad_values_raise_a_value_error_naming_the_parameter(qualname, parameter):
    failures = attack(FUNCTIONS[qualname], EXAMPLES.get(qualname, Example()), parameter)
    assert not failures, f"{len(failures)} bad value(s) not refused properly:\n" + "\n".join(failures[:8])


# --- the layer can fail: helpers that break the rules are caught ---------------------------------------------
def _only(function, example=None):
    parameters, problems = parameters_of(f"helpers.fake.{function.__name__}", function, example)
    assert not problems, problems
    return parameters


def test_a_helper_that_takes_a_bool_as_a_number_is_caught():
    def doubled(share: float = 0.5) -> float:  # no check at all
        return share * 2

    failures = attack(doubled, Example(), *_only(doubled))
    assert any("(share=True) [bool] was accepted silently" in failure for failure in failures), failures


def test_a_helper_that_raises_the_wrong_error_or_forgets_the_name_is_caught():
    from helpers.validation import require_number

    def indexed(table: pd.DataFrame) -> float:
        return float(table["x"].iloc[0])  # KeyError / AttributeError on bad tables

    def anonymous(share: float = 0.5) -> float:
        require_number("value", share, minimum=0, maximum=1)  # the wrong name
        return share

    example = Example({"table": pd.DataFrame({"x": [1.0, 2.0]})})
    failures = attack(indexed, example, *_only(indexed, example))
    assert any("raised KeyError" in failure for failure in failures), failures
    assert any("raised TypeError" in failure for failure in failures), failures
    failures = attack(anonymous, Example(), *_only(anonymous))
    assert failures and all("without naming 'share'" in failure for failure in failures), failures


def test_hypothesis_finds_what_the_fixed_values_miss():
    from tests.bad_values import UNKNOWN

    def lenient(kind: str = "a") -> str:  # refuses only the one unknown value of the fixed list
        if kind == UNKNOWN or not isinstance(kind, str) or kind == "":
            raise ValueError(f"kind must be 'a' or 'b'; got {kind!r}")
        return kind

    failures = attack(lenient, Example(), *_only(lenient))
    assert len(failures) == 1 and "accepted silently" in failures[0] and UNKNOWN in failures[0], failures


def test_a_silent_nan_from_a_suspect_value_is_caught():
    def ratio(hosts: float = 2.0) -> float:
        return float("nan") if hosts == 0 else 1 / hosts  # 0 hosts: a silent NaN

    assert any("silent wrong answer: the result is nan" in f for f in attack(ratio, Example(), *_only(ratio)))


def test_an_exercise_check_must_answer_anything():
    from helpers.exercises import CheckResult

    def strict_check(answer) -> CheckResult:
        return CheckResult(float(answer) == 4, "checked")  # "abc" -> ValueError, None -> TypeError

    failures = attack(strict_check, Example({"answer": None}), *_only(strict_check, Example({"answer": None})))
    assert any("raised TypeError" in f for f in failures) and any("must never raise" in f for f in failures)


def test_a_new_helper_without_an_example_is_reported():
    def new_helper(x: float, *, rows: pd.DataFrame, **parameters) -> float:
        return x

    _, problems = parameters_of("helpers.fake.new_helper", new_helper, None)
    assert any("required parameter(s) ['x', 'rows']" in problem and "ex(x=..., rows=...)" in problem
               for problem in problems), problems
    assert any("takes **parameters" in problem for problem in problems), problems

    def untyped(x):
        return x

    assert "cannot tell what parameter 'x' takes" in " ".join(parameters_of("helpers.fake.untyped", untyped,
                                                                            Example({"x": object()}))[1])


def test_discovery_finds_public_functions_missing_from_all():
    assert "helpers.course.navigation_markdown" in FUNCTIONS  # public, though not in course.__all__
    assert not any(name.startswith("helpers._") for name in FUNCTIONS)
