# SPDX-License-Identifier: GPL-3.0-or-later
# Messages of errors raised by the interpreter itself, caught and printed as
# `type(e).__name__, e` (only messages that are the same in CPython 3.11-3.13): NameError,
# AttributeError on an int and on a user object, TypeError for argument counts, operand types,
# subscripting, calling None, str concatenation, KeyError, IndexError, ZeroDivisionError,
# ValueError from int().


class Foo:
    pass


def f(a, b):
    return a + b


def g(a):
    return a


cases = [
    lambda: undefined_name,
    lambda: (5).foo,
    lambda: Foo().bar,
    lambda: f(1),
    lambda: f(),
    lambda: g(1, 2),
    lambda: 1 + "a",
    lambda: "a" + 1,
    lambda: 5[0],
    lambda: None(),
    lambda: {"a": 1}["b"],
    lambda: [1, 2][5],
    lambda: (1, 2)[-3],
    lambda: "abc"[10],
    lambda: 1 / 0,
    lambda: int("x"),
    lambda: int("4.5"),
    lambda: [1, 2].index(3),
    lambda: "abc".index("z"),
    lambda: len(5),
    lambda: [] < 1,
    lambda: {}.pop("gone"),
    lambda: None.attr,
    lambda: "text".missing_method(),
]
for i, case in enumerate(cases):
    try:
        case()
        print(i, "no error")
    except Exception as e:
        print(i, type(e).__name__, e)


def outer():
    return inner_missing + 1


try:
    outer()
except NameError as e:
    print("NameError in a function:", e)
x = 0
try:
    print(10 / x)
except ZeroDivisionError as e:
    print(type(e).__name__, e, e.args)
