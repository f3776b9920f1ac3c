# SPDX-License-Identifier: GPL-3.0-or-later
# Name scopes and removal: global and nonlocal declarations, reading a global from a function,
# a local shadowing a global, UnboundLocalError (a NameError subclass) when a local is read
# before assignment, del of names, list items, slices and dict keys, assert (passing, failing
# with and without a message, caught).

n = 14
counter = 0


def bump():
    global counter
    counter += 1


bump()
bump()
print("counter", counter)


def shadow():
    n = "local n"
    return n


def read_global():
    return n * 2


def broken():
    total = counter
    counter = total + 1


print(shadow(), n, read_global())
try:
    broken()
except NameError as e:
    print(type(e).__name__, isinstance(e, NameError))


def outer():
    value = "outer"

    def inner():
        nonlocal value
        value = "changed by inner"

    inner()
    return value


print(outer())

data = [0, 1, 2, 3, 4, 5]
del data[0]
del data[-1]
del data[1:3]
print(data)
d = {"a": 1, "b": 2}
del d["a"]
print(d)
temp = 1
del temp
try:
    print(temp)
except NameError as e:
    print("NameError:", e)

assert n > 0, "never fails"
try:
    assert 1 + 1 == 3, "math is broken"
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert []
except AssertionError as e:
    print("AssertionError without message:", repr(e), e.args)
