# SPDX-License-Identifier: GPL-3.0-or-later
# *-unpacking and **-unpacking in calls (several of each, mixed with positional and keyword
# arguments), unpacking in list/tuple/set/dict displays, keyword arguments in any order,
# keyword-only parameters, builtins called with unpacked arguments, print(*items, sep=...).


def show(a, b, c=0, *rest, flag=False, **opts):
    return f"a={a} b={b} c={c} rest={rest} flag={flag} opts={opts}"


args = [1, 2]
more = (3, 4, 5)
kw = {"flag": True}
extra = {"colour": "red", "size": 3}
print(show(*args))
print(show(*args, *more))
print(show(0, *args, **kw))
print(show(*args, **kw, **extra))
print(show(b="B", a="A", **extra))
print(show(*"xy", c="see", flag=None))
print([*args, *more, 6], (*args,), {*args, *args}, [*range(3), *"ab"])
print({**extra, "size": 4, **{"shape": "round"}}, {"a": 1, **{"a": 2}})
print(*args, *more, sep=", ")
print(*["no", "sep"])
print(max(*more), min(*args, 0), sum([*args, *more]), len([*extra]))
pairs = [("x", 1), ("y", 2)]
names, values = zip(*pairs)
print(names, values, dict(pairs), dict(**extra, extra=True))
print("{0}-{1}-{2}".format(*more), "{colour}/{size}".format(**extra))
try:
    show(1, 2, a=3)
except TypeError as e:
    print("TypeError:", e)
