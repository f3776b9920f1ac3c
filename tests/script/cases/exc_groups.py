# SPDX-License-Identifier: GPL-3.0-or-later
# ExceptionGroup and BaseExceptionGroup: construction, message, exceptions, str and repr,
# subgroup and split (by type, by tuple of types, by predicate), nested groups, except* with
# several clauses (each runs at most once, with the matching subgroup), unhandled remainder
# propagating, a bare exception caught by except* (wrapped in a group), a group holding a
# KeyboardInterrupt becomes a BaseExceptionGroup.

eg = ExceptionGroup("batch failed", [ValueError("v1"), TypeError("t1"), ValueError("v2")])
print(type(eg).__name__, eg.message, len(eg.exceptions), [repr(e) for e in eg.exceptions])
print(str(eg))
print(repr(eg))
print(isinstance(eg, Exception), issubclass(ExceptionGroup, BaseExceptionGroup), eg.args[0])
sub = eg.subgroup(ValueError)
print("subgroup:", repr(sub), sub.message)
print("subgroup none:", eg.subgroup(KeyError))
match, rest = eg.split(TypeError)
print("split:", repr(match), "|", repr(rest))
match, rest = eg.split((ValueError, TypeError))
print("split all:", repr(match), rest)
match, rest = eg.split(lambda e: str(e).endswith("2"))
print("split predicate:", repr(match), "|", repr(rest))
nested = ExceptionGroup("outer", [KeyError("k"), ExceptionGroup("inner", [ValueError("deep"), OSError("io")])])
print(repr(nested))
print(repr(nested.subgroup(ValueError)))
print(str(nested), len(nested.exceptions))

try:
    raise eg
except* ValueError as group:
    print("except* ValueError got", [str(e) for e in group.exceptions], type(group).__name__, group.message)
except* TypeError as group:
    print("except* TypeError got", [str(e) for e in group.exceptions])

try:
    try:
        raise ExceptionGroup("mixed", [ValueError("handled"), KeyError("not handled")])
    except* ValueError:
        print("handled the ValueError part")
except ExceptionGroup as remainder:
    print("remainder propagated:", repr(remainder))

try:
    raise RuntimeError("naked")
except* RuntimeError as group:
    print("naked exception wrapped:", repr(group))

try:
    raise ExceptionGroup("one", [ValueError("x")])
except* (ValueError, TypeError) as group:
    print("tuple clause:", repr(group.exceptions[0]))
else:
    print("not printed")
finally:
    print("finally after except*")

beg = BaseExceptionGroup("base", [KeyboardInterrupt(), ValueError("v")])
print(type(beg).__name__, repr(beg))
only_exc = BaseExceptionGroup("all plain", [ValueError("v")])
print(type(only_exc).__name__)
try:
    raise beg
except* KeyboardInterrupt:
    print("caught KeyboardInterrupt part")
except* ValueError as g:
    print("caught ValueError part", g.exceptions)
try:
    ExceptionGroup("bad", [])
except ValueError as e:
    print("ValueError:", e)
