// SPDX-License-Identifier: GPL-3.0-or-later
// Modules written in Python, run by the interpreter itself on first import: the parts of typing,
// functools and __future__ that asyncio code and tutorials import without really needing them.
// Annotations are not checked at run time, in CPython either, so typing's names only have to
// exist, subscript (Optional[int]) and combine (int | None).

#include "engine/script/interp.h"

namespace loopscope::script {

namespace {

constexpr std::string_view kFuture = R"py(
annotations = True
generator_stop = True
division = True
absolute_import = True
print_function = True
unicode_literals = True
)py";

constexpr std::string_view kTyping = R"py(
class _Form:
    def __init__(self, name, args=()):
        self._name = name
        self._args = args

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        return _Form(self._name, params)

    def __or__(self, other):
        return _Form("Union", (self, other))

    def __ror__(self, other):
        return _Form("Union", (other, self))

    def __repr__(self):
        if not self._args:
            return "typing." + self._name
        return "typing." + self._name + "[" + ", ".join(
            a.__name__ if isinstance(a, type) else repr(a) for a in self._args) + "]"


Any = _Form("Any")
Optional = _Form("Optional")
Union = _Form("Union")
List = _Form("List")
Dict = _Form("Dict")
Tuple = _Form("Tuple")
Set = _Form("Set")
FrozenSet = _Form("FrozenSet")
Type = _Form("Type")
Callable = _Form("Callable")
Awaitable = _Form("Awaitable")
Coroutine = _Form("Coroutine")
Iterable = _Form("Iterable")
Iterator = _Form("Iterator")
AsyncIterable = _Form("AsyncIterable")
AsyncIterator = _Form("AsyncIterator")
AsyncGenerator = _Form("AsyncGenerator")
Generator = _Form("Generator")
Sequence = _Form("Sequence")
Mapping = _Form("Mapping")
MutableMapping = _Form("MutableMapping")
ClassVar = _Form("ClassVar")
Final = _Form("Final")
Literal = _Form("Literal")
NoReturn = _Form("NoReturn")
Never = _Form("Never")
Self = _Form("Self")
TYPE_CHECKING = False


def cast(typ, val):
    return val


def TypeVar(name, *constraints, bound=None, covariant=False, contravariant=False):
    return _Form(name)


def NewType(name, tp):
    return lambda x: x


def overload(func):
    return func


def final(f):
    return f


def no_type_check(f):
    return f
)py";

constexpr std::string_view kFunctools = R"py(
class partial:
    def __init__(self, func, *args, **keywords):
        if not callable(func):
            raise TypeError("the first argument must be callable")
        self.func = func
        self.args = args
        self.keywords = keywords

    def __call__(self, *args, **keywords):
        kw = dict(self.keywords)
        kw.update(keywords)
        return self.func(*self.args, *args, **kw)

    def __repr__(self):
        parts = [repr(self.func)]
        parts.extend(repr(a) for a in self.args)
        parts.extend(k + "=" + repr(v) for k, v in self.keywords.items())
        return "functools.partial(" + ", ".join(parts) + ")"


_missing = object()


def reduce(function, iterable, initial=_missing):
    it = iter(iterable)
    if initial is _missing:
        try:
            value = next(it)
        except StopIteration:
            raise TypeError("reduce() of empty iterable with no initial value") from None
    else:
        value = initial
    for element in it:
        value = function(value, element)
    return value
)py";

}  // namespace

std::string_view source_module(std::string_view name) noexcept
{
  if (name == "__future__")
    return kFuture;
  if (name == "typing")
    return kTyping;
  if (name == "functools")
    return kFunctools;
  return {};
}

}  // namespace loopscope::script
