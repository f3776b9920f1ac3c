# SPDX-License-Identifier: GPL-3.0-or-later
# Type builtins: type(x).__name__ for every basic type, type(x) is T, isinstance with a type and
# a tuple of types (bool is an int), issubclass, conversions between str/int/float/bool/list/
# dict/tuple/set, repr vs str, id (only compared), callable, getattr/hasattr/setattr with
# defaults, None's type, classes and functions as values.
import asyncio


class Thing:
    size = 3

    def method(self):
        return "m"


async def coro_fn():
    return 1


values = [1, 1.5, "s", b"b", True, None, [1], (1,), {"k": 1}, {1}, range(2), Thing()]
print([type(v).__name__ for v in values])
print(type(Thing).__name__, type(coro_fn).__name__, type(Thing().method).__name__, type(lambda: 0).__name__)
print(type(1) is int, type(True) is int, type(True) is bool, type("") is str, type(None).__name__)
print(isinstance(True, int), isinstance(1, bool), isinstance(1.0, (int, float)), isinstance("x", (list, tuple)))
print(isinstance([], list), isinstance({}, dict), isinstance(Thing(), Thing), isinstance(Thing, type), isinstance(None, object))
print(issubclass(bool, int), issubclass(int, float), issubclass(KeyError, LookupError), issubclass(Thing, object))
print(str(12), str(1.0), str([1, "a"]), int("12") + 1, float("2") / 4, bool(""), bool("0"))
print(list("abc"), list((1, 2)), list({"a": 1}), tuple([1, 2]), set([1, 1, 2]), dict([(1, 2)]), dict(x=1))
print(list({"a": 1}.items()), tuple(range(3)), list(map(int, "123")), [str(x) for x in (1, 2.0, None)])
print(repr("s"), str("s"), repr(1.5), repr([1, "a"]), repr(None), repr(True), repr((1,)), repr(b"x"))
a = [1]
b = a
c = [1]
print(id(a) == id(b), id(a) == id(c), a is b, a is c, id(None) == id(None))
print(callable(len), callable(Thing), callable(Thing().method), callable(3), callable("x"), callable(coro_fn))
t = Thing()
print(getattr(t, "size"), getattr(t, "missing", "fallback"), hasattr(t, "method"), hasattr(t, "nope"))
setattr(t, "size", 10)
print(t.size, Thing.size, getattr(t, "method")(), getattr(Thing, "size"))
try:
    getattr(t, "missing")
except AttributeError as e:
    print("AttributeError:", e)
converters = [int, float, str, bool]
print([conv("1") for conv in converters], [f.__name__ for f in converters])
print(int(), float(), str(), bool(), list(), dict(), tuple(), repr(set()))
coro = coro_fn()
print(type(coro).__name__, asyncio.iscoroutine(coro), asyncio.iscoroutinefunction(coro_fn))
print(asyncio.run(coro))
