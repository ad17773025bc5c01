"""The machinery of the property-based bad-input layer (``tests/test_bad_input.py``).

It finds every public function of the ``helpers`` package, works out what each
parameter is (a number, a switch, a table ...) from the signature's annotations
and defaults and from one valid call (:data:`tests.helper_examples.EXAMPLES`),
and generates bad values for it: the fixed list of :data:`BAD` and values drawn
by hypothesis. A bad value must give a ``ValueError`` whose message names the
parameter; nothing else passes (no TypeError/KeyError/AttributeError/IndexError,
no silent result).

Two strengths of "bad":

* **refused**: never valid (a bool for a number, NaN, inf, a string for a number,
  None where None is not allowed, a table with a column missing ...). The call
  must raise ``ValueError`` naming the parameter.
* **suspect**: valid for some parameters, not others (a negative number, 1e300,
  a very long list). The call must raise ``ValueError`` naming the parameter, or
  return a result that holds no NaN or infinity (and no chart title reading "nan").

Parameter kinds (inferred; override with ``Example(kinds=...)``): number, integer,
series, number_or_series (either), flag, choice (one name from a fixed list), text
(free text), choices (names from a fixed list), names (a list of free names), mapping,
frame (a DataFrame), path, chart (an altair chart), object_list (a list of objects such
as ``Column``), object (an instance of one class, e.g. a ``Simulation``), answer (a ``check_*`` exercise's answer: any value gets a
``CheckResult``, never an exception) and any (never raises).
"""

from __future__ import annotations

import copy
import importlib
import inspect
import math
import pkgutil
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import helpers

KINDS = ("number", "integer", "series", "number_or_series", "flag", "choice", "text", "choices", "names",
         "mapping", "frame", "path", "chart", "object_list", "object", "answer", "any")
#: Parameters of these names that take a string are free text (any string is valid), not a choice.
TEXT_PARAMETERS = frozenset({"title", "subtitle", "source", "model", "what", "hint", "unit", "value_title", "label",
                             "description"})
#: A value no choice list holds (a choice must refuse it).
UNKNOWN = "no-such-value-¤"

#: How many values hypothesis draws per parameter, on top of the fixed list (kept small: the whole
#: layer must run in seconds). Deterministic: ``derandomize=True``, no example database.
HYPOTHESIS_EXAMPLES = 8
HYPOTHESIS_SETTINGS = settings(max_examples=HYPOTHESIS_EXAMPLES, derandomize=True, database=None, deadline=None,
                               phases=(Phase.explicit, Phase.generate), print_blob=False,
                               suppress_health_check=list(HealthCheck))


# ---------------------------------------------------------------------------------------------------------
# What a chapter author declares
# ---------------------------------------------------------------------------------------------------------
@dataclass
class Example:
    """One valid call of a public helper, and what the layer cannot infer from its signature.

    ``arguments``: a valid value for every required parameter (and for each ``**kwargs``
    keyword to attack, e.g. ``pue=1.58``); parameters left out keep their defaults.
    ``kinds``: parameter -> kind, where the annotation does not say (see :data:`KINDS`).
    ``text``: string parameters that take free text rather than a choice.
    ``accepts``: parameter -> names of bad-value families that are valid for it
    (e.g. ``{"events": {"empty"}}`` when an empty table is a valid input).
    ``text_columns`` / ``optional_columns``: table parameter -> columns that hold free text /
    may hold empty cells. ``keys``: table parameter -> columns that must be unique together.
    ``samples``: parameter -> a valid value to derive bad variants from (a table, a mapping)
    when the valid call leaves the parameter at its default (e.g. ``costs=None``).
    ``reports``: parameter -> another name its error message may use instead of its own
    (``require_number("pue", x)`` reports ``value`` as "pue").
    ``may_return_nan``: NaN in the result is a documented answer (e.g. "owning never wins").
    ``cleanup``: called after every call (for helpers with side effects, e.g. ``register_schema``).
    """

    arguments: dict = field(default_factory=dict)
    kinds: dict = field(default_factory=dict)
    text: tuple = ()
    accepts: dict = field(default_factory=dict)
    text_columns: dict = field(default_factory=dict)
    optional_columns: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)
    samples: dict = field(default_factory=dict)
    reports: dict = field(default_factory=dict)
    may_return_nan: bool = False
    cleanup: Callable[[], None] | None = None

    def fresh_arguments(self) -> dict:
        """A deep copy of the valid arguments (a helper may modify a table it is given)."""
        return {name: _fresh(value) for name, value in self.arguments.items()}


def ex(**arguments) -> Example:
    """``ex(utilization=0.5)``: the common case, an example with nothing else to declare."""
    return Example(arguments)


def _fresh(value):
    if isinstance(value, (pd.DataFrame, pd.Series, np.ndarray)):
        return value.copy()
    if isinstance(value, alt.TopLevelMixin):
        return value.copy(deep=True)
    if isinstance(value, (list, dict, set)):
        return copy.deepcopy(value)
    return value


# ---------------------------------------------------------------------------------------------------------
# Finding the public helpers
# ---------------------------------------------------------------------------------------------------------
def public_functions() -> dict[str, Callable]:
    """``"helpers.module.function"`` -> function, for every public function of every public module.

    Public = listed in the module's ``__all__``, or defined in the module with a name not
    starting with ``_`` (so forgetting ``__all__`` does not hide a helper). Classes are not included.
    """
    found = {}
    for info in sorted(pkgutil.iter_modules(helpers.__path__), key=lambda info: info.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"helpers.{info.name}")
        names = set(getattr(module, "__all__", ())) | {name for name in vars(module) if not name.startswith("_")}
        for name in sorted(names):
            obj = getattr(module, name, None)
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = obj
    return found


@dataclass(frozen=True)
class Parameter:
    """One attacked parameter of one helper."""

    function: str
    name: str
    kind: str
    optional: bool  # None is a valid value
    default: object  # the example's value (or a sample), from which bad variants are derived
    reported: str  # another name the error message may use instead of ``name``


def _annotation_kind(name: str, annotation: str) -> tuple[str | None, bool]:
    """Kind from an annotation string (``from __future__ import annotations`` keeps them as text), and
    whether ``None`` is part of it."""
    text = annotation.replace(" ", "")
    parts = [p for p in re.split(r"\|(?![^\[]*\])", text) if p]
    optional = "None" in parts or text.startswith("Optional[")
    parts = [p for p in parts if p != "None"]
    joined = "|".join(parts)
    if not joined:
        return None, optional
    if "DataFrame" in joined:
        return "frame", optional
    if any(token in joined for token in ("TopLevelMixin", "alt.Chart", "VConcatChart", "LayerChart")):
        return "chart", optional
    if "Path" in joined and "str" not in parts:
        return "path", optional
    if joined.startswith(("Mapping", "dict")):
        return "mapping", optional
    if "ndarray" in joined or "Sequence[float]" in joined:
        return ("number_or_series" if "float" in parts else "series"), optional
    if re.search(r"(list|tuple|Iterable|Sequence)\[str", joined):
        return "choices", optional
    if parts == ["bool"]:
        return "flag", optional
    if parts == ["int"]:
        return "integer", optional
    if set(parts) <= {"float", "int"}:
        return "number", optional
    if parts == ["str"]:
        return ("text" if name in TEXT_PARAMETERS else "choice"), optional
    return None, optional


def _value_kind(name: str, value) -> str | None:
    if isinstance(value, (bool, np.bool_)):
        return "flag"
    if isinstance(value, (int, np.integer)):
        return "integer" if name in ("seed",) else "number"
    if isinstance(value, (float, np.floating)):
        return "number"
    if isinstance(value, str):
        return "text" if name in TEXT_PARAMETERS else "choice"
    if isinstance(value, pd.DataFrame):
        return "frame"
    if isinstance(value, alt.TopLevelMixin):
        return "chart"
    if isinstance(value, Path):
        return "path"
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        items = list(value)
        if items and all(isinstance(item, str) for item in items):
            return "choices"
        return "series"
    return None


def parameters_of(qualname: str, function: Callable, example: Example | None) -> tuple[list[Parameter], list[str]]:
    """The attacked parameters of ``function`` and, separately, problems that stop it being covered."""
    example = example or Example()
    signature = inspect.signature(function)
    problems = []
    attacked = []
    named = set()
    required = [p.name for p in signature.parameters.values() if p.default is inspect.Parameter.empty
                and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
                and p.name not in example.arguments]
    if required:
        problems.append(f"{qualname}: no valid value for required parameter(s) {required}; add "
                        f"'{qualname}': ex({', '.join(name + '=...' for name in required)}) to "
                        f"tests/helper_examples.py")
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            problems.append(f"{qualname}: *{parameter.name} cannot be attacked; take named parameters")
            continue
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            if not set(example.arguments) - set(signature.parameters):
                problems.append(f"{qualname}: takes **{parameter.name}; give its example at least one keyword it "
                                f"forwards (e.g. a model parameter) in tests/helper_examples.py")
            continue
        named.add(parameter.name)
        has_default = parameter.default is not inspect.Parameter.empty
        if not has_default and parameter.name not in example.arguments:
            continue
        annotation = parameter.annotation if parameter.annotation is not inspect.Parameter.empty else ""
        kind, optional = _annotation_kind(parameter.name, str(annotation))
        if parameter.name == "answer" and not annotation:
            kind = "answer"
        if parameter.name in example.text:
            kind = "text"
        value = example.arguments.get(parameter.name, parameter.default if has_default else None)
        value = example.samples.get(parameter.name, value)
        if kind is None:
            kind = _value_kind(parameter.name, value)
        kind = example.kinds.get(parameter.name, kind)
        optional = optional or (has_default and parameter.default is None)
        if kind not in KINDS:
            problems.append(f"{qualname}: cannot tell what parameter {parameter.name!r} takes; annotate it, or "
                            f"declare kinds={{{parameter.name!r}: ...}} (one of {KINDS}) in tests/helper_examples.py")
            continue
        attacked.append(Parameter(qualname, parameter.name, kind, optional, value,
                                  example.reports.get(parameter.name, parameter.name)))
    for name, value in example.arguments.items():  # keywords forwarded through **kwargs
        if name in named or name in signature.parameters:
            continue
        kind = example.kinds.get(name, _value_kind(name, value))
        if kind not in KINDS:
            problems.append(f"{qualname}: declare the kind of keyword {name!r}")
            continue
        attacked.append(Parameter(qualname, name, kind, False, value, example.reports.get(name, name)))
    for name in (list(example.kinds) + list(example.accepts) + list(example.text) + list(example.samples)
                 + list(example.reports)):
        if name not in {p.name for p in attacked} and not any(name in p for p in problems):
            problems.append(f"{qualname}: tests/helper_examples.py declares {name!r}, which it does not take")
    return attacked, problems


# ---------------------------------------------------------------------------------------------------------
# Bad values
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Bad:
    """A bad value, the family it belongs to (``accepts`` names families), and whether it is refused or suspect."""

    family: str
    value: object
    refused: bool = True

    def make(self):
        return _fresh(self.value)


NAN, INF = float("nan"), float("inf")

_NOT_A_NUMBER = [Bad("bool", True), Bad("bool", False), Bad("bool", np.True_), Bad("nan", NAN), Bad("nan", np.nan),
                 Bad("inf", INF), Bad("inf", -INF), Bad("str", "1.5"), Bad("str", "abc"), Bad("str", ""),
                 Bad("complex", complex(1, 1)), Bad("dict", {}), Bad("object", object())]
_SUSPECT_NUMBERS = [Bad("negative", -1.0, False), Bad("negative", -1e9, False), Bad("huge", 1e300, False),
                    Bad("huge", 10 ** 400, False), Bad("zero", 0, False)]
_BAD_SERIES = [Bad("str", "1,2"), Bad("bool", [True, False]), Bad("bool", np.array([True, False])),
               Bad("bool", [1.0, True]), Bad("nan", [0.5, NAN]), Bad("inf", [0.5, INF]), Bad("none", [0.5, None]),
               Bad("str", ["0.5", "0.6"]), Bad("nested", [[0.5, 0.5]]), Bad("empty", []), Bad("dict", {"a": 0.5}),
               Bad("nan", pd.Series([0.5, NAN])), Bad("object", object())]
_SUSPECT_SERIES = [Bad("negative", [-1.0, 0.5], False), Bad("huge", [1e300], False)]
_BAD_FLAGS = [Bad("str", "no"), Bad("str", "yes"), Bad("str", "False"), Bad("int", 0), Bad("int", 1),
              Bad("nan", NAN), Bad("list", []), Bad("float", 1.0)]
_NOT_TEXT = [Bad("int", 1), Bad("bool", True), Bad("nan", NAN), Bad("list", ["a"]), Bad("bytes", b"a"),
             Bad("dict", {})]
_BAD_CHOICES = [Bad("unknown", UNKNOWN), Bad("empty", ""), Bad("int", 1), Bad("bool", True), Bad("nan", NAN),
                Bad("list", [UNKNOWN]), Bad("dict", {})]
_BAD_CHOICE_LISTS = [Bad("unknown", [UNKNOWN]), Bad("int", [1]), Bad("none", [None]), Bad("bool", [True]),
                     Bad("empty", []), Bad("int", 1), Bad("bool", True), Bad("nan", NAN), Bad("dict", {}),
                     Bad("str_unknown", UNKNOWN)]
_BAD_NAME_LISTS = [Bad("str", "abc"), Bad("empty", []), Bad("int", [1]), Bad("none", [None]), Bad("bool", [True]),
                   Bad("blank", [""]), Bad("int", 3), Bad("nan", NAN), Bad("dict", {}),
                   Bad("repeated", ["a", "a"], False), Bad("too_many", [f"n{i}" for i in range(40)], False)]
_BAD_OBJECT_LISTS = [Bad("str", "abc"), Bad("int", 1), Bad("bool", True), Bad("nan", NAN), Bad("empty", []),
                     Bad("int", [1]), Bad("none", [None]), Bad("str", ["a"]), Bad("dict", {})]
_BAD_MAPPINGS = [Bad("str", "abc"), Bad("int", 1), Bad("bool", True), Bad("list", [("a", 1.0)]),
                 Bad("unknown", {UNKNOWN: 1.0}), Bad("int_key", {1: 1.0})]
_BAD_PATHS = [Bad("int", 1), Bad("bool", True), Bad("missing", "/no/such/folder/requirements.txt"),
              Bad("missing", Path("/no/such/file.txt")), Bad("folder", Path("/")), Bad("empty", ""),
              Bad("list", []), Bad("nan", NAN)]
_NOT_CHARTS = [Bad("str", "chart"), Bad("int", 1), Bad("dict", {"mark": "point"}), Bad("frame", pd.DataFrame()),
               Bad("list", [])]
_NOT_OBJECTS = [Bad("str", "simulation"), Bad("int", 1), Bad("bool", True), Bad("nan", NAN), Bad("dict", {}),
                Bad("list", []), Bad("frame", pd.DataFrame({"a": [1.0]})), Bad("object", object())]
_NOT_FRAMES = [Bad("str", "table"), Bad("int", 1), Bad("bool", True), Bad("list", []), Bad("dict", {}),
               Bad("records", [{"a": 1}]), Bad("array", np.zeros((2, 2))), Bad("no_columns", pd.DataFrame())]
#: Answers a student might type; none may raise. The first group must never be judged right.
_WRONG_ANSWERS = [None, "abc", "", NAN, INF, -INF, True, False, object(), {}, [], (), (NAN, None, 1),
                  ("a", "b", "c", "d")]
_OTHER_ANSWERS = ["4", "  cpu  ", 4, 0, -1, 1e300, (1, 2), (1.0, "xen", "kvm"), [1], np.array([1.0]),
                  pd.DataFrame(), np.float64(2.5)]


def fixed_bad_values(parameter: Parameter, example: Example) -> list[Bad]:
    """The fixed bad values for one parameter (families its example ``accepts`` removed)."""
    kind = parameter.kind
    none = [] if parameter.optional else [Bad("none", None)]
    if kind in ("number", "integer"):
        values = none + _NOT_A_NUMBER + [Bad("list", [1.0]), Bad("array", np.array([1.0]))] + _SUSPECT_NUMBERS
        if kind == "integer":
            values += [Bad("fraction", 2.5), Bad("fraction", 0.5)]
    elif kind == "series":
        values = none + _BAD_SERIES + [Bad("scalar", 0.5)] + _SUSPECT_SERIES
    elif kind == "number_or_series":
        values = none + _NOT_A_NUMBER + _BAD_SERIES + _SUSPECT_NUMBERS + _SUSPECT_SERIES
    elif kind == "flag":
        values = none + _BAD_FLAGS
    elif kind == "text":
        values = none + _NOT_TEXT + ([] if parameter.default == "" else [Bad("blank", "", False)])
    elif kind == "choice":
        values = none + _BAD_CHOICES
    elif kind == "choices":
        values = none + _BAD_CHOICE_LISTS
    elif kind == "names":
        values = none + _BAD_NAME_LISTS
    elif kind == "mapping":
        keys = list(parameter.default) if isinstance(parameter.default, Mapping) else []
        values = none + _BAD_MAPPINGS + [Bad(family, {key: bad}) for key in keys[:1]
                                         for family, bad in (("value_bool", True), ("value_nan", NAN),
                                                             ("value_str", "1"), ("value_none", None))]
    elif kind == "path":
        values = none + _BAD_PATHS
    elif kind == "chart":
        values = none + _NOT_CHARTS
    elif kind == "object_list":
        values = none + _BAD_OBJECT_LISTS
    elif kind == "object":
        values = none + _NOT_OBJECTS
    elif kind == "frame":
        values = none + _NOT_FRAMES + frame_variants(parameter, example)
    else:  # answer, any
        values = [Bad("answer", value, refused=index < len(_WRONG_ANSWERS))
                  for index, value in enumerate(_WRONG_ANSWERS + _OTHER_ANSWERS)]
    accepted = example.accepts.get(parameter.name, set())
    return [bad for bad in values if bad.family not in accepted]


# --- tables ----------------------------------------------------------------------------------------------
def _with_cell(frame: pd.DataFrame, column: str, row: int, value) -> pd.DataFrame:
    changed = frame.copy()
    if isinstance(value, float) and pd.api.types.is_numeric_dtype(changed[column]) and \
            not pd.api.types.is_bool_dtype(changed[column]):
        changed[column] = changed[column].astype(float)
    else:
        changed[column] = changed[column].astype(object)
    changed.iloc[row, changed.columns.get_loc(column)] = value
    return changed


def cell_mutations(frame: pd.DataFrame, column: str, text_columns, optional_columns) -> list[tuple[str, object, bool]]:
    """(family, value, refused) for one column of an example table."""
    series = frame[column]
    missing = [("table_nan_cell", NAN, column not in optional_columns)]
    if pd.api.types.is_bool_dtype(series):
        return missing + [("table_wrong_type", "yes", True), ("table_wrong_type", 2.5, True)]
    if pd.api.types.is_numeric_dtype(series):
        return missing + [("table_inf", INF, True), ("table_inf", -INF, True), ("table_wrong_type", "abc", True),
                          ("table_wrong_type", True, True), ("table_negative", -1e9, False),
                          ("table_huge", 1e300, False)]
    if pd.api.types.is_datetime64_any_dtype(series):
        return [("table_nan_cell", pd.NaT, column not in optional_columns), ("table_wrong_type", "not a date", True),
                ("table_wrong_type", 1.5, True)]
    unknown = [] if column in text_columns else [("table_unknown_category", UNKNOWN, True)]
    return missing + unknown + [("table_wrong_type", 1.5, True), ("table_none", None, column not in optional_columns)]


def frame_variants(parameter: Parameter, example: Example) -> list[Bad]:
    """The example table with its rows removed, each column missing in turn, and one bad cell per column."""
    frame = parameter.default
    if not isinstance(frame, pd.DataFrame):
        return []
    text_columns = set(example.text_columns.get(parameter.name, ()))
    optional_columns = set(example.optional_columns.get(parameter.name, ()))
    variants = [Bad("empty", frame.iloc[0:0].copy())]
    variants += [Bad("table_missing_column", frame.drop(columns=[column])) for column in frame.columns]
    for column in frame.columns:
        for family, value, refused in cell_mutations(frame, column, text_columns, optional_columns):
            variants.append(Bad(family, _with_cell(frame, column, 0, value), refused))
    key = example.keys.get(parameter.name)
    variants.append(Bad("table_duplicate_row", pd.concat([frame, frame.iloc[[0]]]), refused=bool(key)))
    return variants


# ---------------------------------------------------------------------------------------------------------
# Hypothesis strategies: more bad values, drawn
# ---------------------------------------------------------------------------------------------------------
_non_finite = st.sampled_from([NAN, INF, -INF])
_junk = st.one_of(st.none(), st.booleans(), st.text(max_size=6), st.lists(st.integers(), max_size=2),
                  st.dictionaries(st.text(max_size=2), st.integers(), max_size=1))


def _unknown_text():
    return st.text(max_size=6).map(lambda text: UNKNOWN + text)


def drawn_bad_values(parameter: Parameter, example: Example):
    """A strategy of :class:`Bad` values for one parameter (families its example accepts are filtered out)."""
    kind = parameter.kind
    junk = _junk.filter(lambda value: value is not None) if parameter.optional else _junk
    refused = lambda strategy, family: strategy.map(lambda value: Bad(family, value))  # noqa: E731
    suspect = lambda strategy, family: strategy.map(lambda value: Bad(family, value, False))  # noqa: E731
    bad_item = st.one_of(st.booleans(), _non_finite, st.none(), st.text(max_size=3))
    numbers = st.floats(allow_nan=False, allow_infinity=False)
    bad_list = st.tuples(st.lists(numbers.filter(lambda x: 0 <= x <= 1), max_size=3), bad_item,
                         st.integers(0, 3)).map(lambda t: t[0][: t[2]] + [t[1]] + t[0][t[2]:])
    if kind in ("number", "integer"):
        options = [refused(_non_finite, "nan"), refused(junk.filter(lambda v: not isinstance(v, list) or v), "junk"),
                   suspect(numbers, "drawn_number")]
        if kind == "integer":
            options.append(refused(numbers.filter(lambda x: not float(x).is_integer() and abs(x) < 1e15),
                                   "fraction"))
    elif kind == "series":
        options = [refused(bad_list, "bad_item"), suspect(st.lists(numbers, min_size=1, max_size=4), "drawn_list")]
    elif kind == "number_or_series":
        options = [refused(bad_list, "bad_item"), refused(_non_finite, "nan"), suspect(numbers, "drawn_number")]
    elif kind == "flag":
        options = [refused(st.one_of(st.text(max_size=5), st.integers(), st.floats()), "not_bool")]
    elif kind == "text":
        options = [refused(st.one_of(st.integers(), st.floats(), st.booleans()), "not_text"),
                   refused(st.lists(st.text(), max_size=1), "list")]
    elif kind == "choice":
        options = [refused(_unknown_text(), "unknown"), refused(st.one_of(st.integers(), st.floats()), "not_text")]
    elif kind == "choices":
        options = [refused(st.lists(st.one_of(_unknown_text(), st.integers(), st.none()), min_size=1, max_size=3),
                           "unknown")]
    elif kind == "names":
        options = [refused(st.lists(st.one_of(st.integers(), st.none(), st.just("")), min_size=1, max_size=3),
                           "bad_item")]
    elif kind == "mapping":
        keys = list(parameter.default) if isinstance(parameter.default, Mapping) else []
        key = st.sampled_from(keys) if keys else _unknown_text()
        options = [refused(st.dictionaries(key, st.one_of(st.booleans(), _non_finite, st.text(max_size=3)),
                                           min_size=1, max_size=2), "bad_value"),
                   refused(st.dictionaries(_unknown_text(), numbers, min_size=1, max_size=1), "unknown")]
    elif kind == "path":
        options = [refused(st.text(max_size=8).map(lambda text: "/no/such/folder-¤/" + text), "missing"),
                   refused(st.one_of(st.integers(), st.floats(), st.booleans()), "not_path")]
    elif kind in ("chart", "object_list", "object"):
        options = [refused(junk, "junk")]
    elif kind == "frame":
        options = [refused(junk, "junk")] + _drawn_frames(parameter, example)
    else:  # answer, any: nothing may raise
        options = [suspect(st.one_of(_junk, numbers, _non_finite, st.tuples(_junk, _junk, _junk)), "answer")]
    accepted = example.accepts.get(parameter.name, set())
    return st.one_of(options).filter(lambda bad: bad.family not in accepted)


def _drawn_frames(parameter: Parameter, example: Example) -> list:
    frame = parameter.default
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        return []
    text_columns = set(example.text_columns.get(parameter.name, ()))
    optional_columns = set(example.optional_columns.get(parameter.name, ()))

    def mutate(choice):
        column, index, row = choice
        mutations = cell_mutations(frame, column, text_columns, optional_columns)
        family, value, refused = mutations[index % len(mutations)]
        return Bad(family, _with_cell(frame, column, row % len(frame), value), refused)

    return [st.tuples(st.sampled_from(list(frame.columns)), st.integers(0, 20), st.integers(0, 50)).map(mutate)]


# ---------------------------------------------------------------------------------------------------------
# Calling a helper with one bad value
# ---------------------------------------------------------------------------------------------------------
_NON_FINITE_WORD = re.compile(r"(?<![\w.])-?(nan|inf)(?![\w])", re.IGNORECASE)


def _problems_in_result(result, allow_nan: bool, depth: int = 0) -> list[str]:
    """NaN/inf hidden in a helper's result (numbers, arrays, tables, dicts, chart titles)."""
    if depth > 4:
        return []
    found = []
    if isinstance(result, (bool, np.bool_)):
        return []
    if isinstance(result, (float, int, np.floating, np.integer)):
        try:
            value = float(result)
        except OverflowError:
            return [f"the result {_shown(result)} is too large for a float"]
        if math.isinf(value) or (math.isnan(value) and not allow_nan):
            found.append(f"the result is {value}")
    elif isinstance(result, np.ndarray) and result.dtype.kind in "fiu":
        values = result.astype(float)
        if np.isinf(values).any() or (not allow_nan and np.isnan(values).any()):
            found.append("the result holds NaN or infinity")
    elif isinstance(result, (pd.DataFrame, pd.Series)):
        numeric = result.select_dtypes("number") if isinstance(result, pd.DataFrame) else (
            result if pd.api.types.is_numeric_dtype(result) and not pd.api.types.is_bool_dtype(result) else None)
        if numeric is not None and numeric.size:
            values = numeric.to_numpy(dtype=float, na_value=np.nan)
            if np.isinf(values).any() or (not allow_nan and np.isnan(values).any()):
                found.append("the table holds NaN or infinity")
        for value in result.attrs.values():
            found += _problems_in_result(value, allow_nan, depth + 1)
    elif isinstance(result, Mapping):
        for value in result.values():
            found += _problems_in_result(value, allow_nan, depth + 1)
    elif isinstance(result, (list, tuple)):
        for value in result[:50]:
            found += _problems_in_result(value, allow_nan, depth + 1)
    elif isinstance(result, str):
        if _NON_FINITE_WORD.search(result):
            found.append(f"the text reads {result[:80]!r}")
    elif isinstance(result, alt.TopLevelMixin):
        title = getattr(result, "title", alt.Undefined)
        texts = [title] if isinstance(title, str) else [getattr(title, "text", ""), getattr(title, "subtitle", "")]
        for text in texts:
            if isinstance(text, str) and _NON_FINITE_WORD.search(text):
                found.append(f"the chart's title reads {text!r}")
    elif hasattr(result, "chart") and hasattr(result, "text"):  # a widgets.View
        found += _problems_in_result(result.chart, allow_nan, depth + 1)
        found += _problems_in_result(result.text, allow_nan, depth + 1)
        found += _problems_in_result(getattr(result, "table", None), allow_nan, depth + 1)
    return found


def names_parameter(message: str, name: str) -> bool:
    """Whether an error message names the parameter (as a whole word; ``costs[3]`` and ``costs:`` count)."""
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", message) is not None


def call_with(function: Callable, example: Example, parameter: Parameter, bad: Bad) -> str | None:
    """Call ``function`` with the example's arguments and ``bad`` for ``parameter``; a failure message, or None."""
    arguments = example.fresh_arguments()
    arguments[parameter.name] = bad.make()
    shown = _shown(arguments[parameter.name])
    what = f"{parameter.function}({parameter.name}={shown}) [{bad.family}]"
    try:
        result = function(**arguments)
    except ValueError as error:
        if parameter.kind in ("answer", "any"):
            return f"{what} raised ValueError ({error}); a {parameter.kind} must never raise"
        if not (names_parameter(str(error), parameter.name) or names_parameter(str(error), parameter.reported)):
            return f"{what} raised ValueError without naming {parameter.reported!r}: {error}"
        return None
    except Exception as error:  # noqa: BLE001  (any other exception is the finding)
        return f"{what} raised {type(error).__name__}: {error}"
    finally:
        if example.cleanup is not None:
            example.cleanup()
    if parameter.kind == "answer":
        from helpers.exercises import CheckResult

        if not isinstance(result, CheckResult):
            return f"{what} returned {type(result).__name__}, not a CheckResult"
        if bad.refused and result.correct:
            return f"{what} judged a wrong answer right"
        return None
    if parameter.kind == "any":
        return None
    if bad.refused:
        return f"{what} was accepted silently (returned {_shown(result)})"
    problems = _problems_in_result(result, example.may_return_nan)
    if problems:
        return f"{what} gave a silent wrong answer: {problems[0]}"
    return None


def _shown(value) -> str:
    if isinstance(value, pd.DataFrame):
        return f"<DataFrame {value.shape[0]}x{value.shape[1]} {list(value.columns)[:4]}>"
    text = " ".join(repr(value).split())
    return text if len(text) <= 70 else text[:67] + "..."


def attack(function: Callable, example: Example, parameter: Parameter) -> list[str]:
    """Every fixed bad value, then :data:`HYPOTHESIS_EXAMPLES` drawn ones; the failures found."""
    failures = [message for bad in fixed_bad_values(parameter, example)
                if (message := call_with(function, example, parameter, bad))]
    if failures:
        return failures

    @HYPOTHESIS_SETTINGS
    @given(st.data())
    def drawn(data):
        bad = data.draw(drawn_bad_values(parameter, example), label=parameter.name)
        message = call_with(function, example, parameter, bad)
        assert message is None, message

    try:
        drawn()
    except AssertionError as error:
        failures.append(str(error).splitlines()[0])
    return failures
