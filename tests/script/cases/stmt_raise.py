# SPDX-License-Identifier: GPL-3.0-or-later
# raise forms: raise an instance, raise a class (instantiated with no args), raise X from Y,
# raise X from None, bare re-raise inside except (same object, traceback goes on), re-raise
# after logging, raise inside a nested function caught by the caller, raising a non-exception
# (TypeError), re-raising a caught exception later from a variable.


def reraise():
    try:
        {}["missing"]
    except KeyError:
        print("logging the KeyError, then re-raising")
        raise


try:
    reraise()
except LookupError as e:
    print("outer caught", type(e).__name__, e)

try:
    try:
        raise ValueError("inner")
    except ValueError as err:
        raise RuntimeError("outer") from err
except RuntimeError as e:
    print("chained:", e, "<- cause:", repr(e.__cause__))

try:
    raise TypeError
except TypeError as e:
    print("raise a class:", repr(e), e.args)

try:
    raise LookupError("hidden context") from None
except LookupError as e:
    print("from None:", e.__cause__, e.__suppress_context__)


def deep(level):
    if level == 0:
        raise IndexError("from the bottom")
    deep(level - 1)


try:
    deep(3)
except IndexError as e:
    print("nested calls:", e)
try:
    raise "not an exception"
except TypeError as e:
    print("TypeError:", e)
saved = None
try:
    int("nope")
except ValueError as e:
    saved = e
try:
    raise saved
except ValueError as e:
    print("raised again later:", e is saved, e)
