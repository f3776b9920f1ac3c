# SPDX-License-Identifier: GPL-3.0-or-later
# The builtin exception classes: raising and catching BaseException, Exception, ValueError,
# RuntimeError, KeyError (str(KeyError('k')) is "'k'"), IndexError, ZeroDivisionError,
# TypeError, TimeoutError (asyncio.TimeoutError is the builtin since 3.11), KeyboardInterrupt,
# SystemExit, StopIteration, NotImplementedError, OSError; args/str/repr with 0, 1 and 2
# arguments; the hierarchy (isinstance/issubclass), `except Exception` not catching
# BaseException subclasses.
import asyncio

classes = [BaseException, Exception, ValueError, RuntimeError, KeyError, IndexError, ZeroDivisionError,
           TypeError, TimeoutError, KeyboardInterrupt, SystemExit, AttributeError, NameError,
           LookupError, ArithmeticError, AssertionError, NotImplementedError, OSError, StopIteration]
for cls in classes:
    e1 = cls("msg")
    print(f"{cls.__name__:<20} str={str(e1)!r:<8} repr={e1!r} base={cls.__bases__[0].__name__}")
print(repr(ValueError()), str(ValueError()) == "", repr(KeyError("k")), str(KeyError("k")), str(KeyError()))
print(str(ValueError("a", 2)), repr(ValueError("a", 2)), ValueError("a", 2).args, str(KeyError("a", 1)))
print(str(KeyError(42)), repr(IndexError(0)), str(RuntimeError(None)), RuntimeError(None).args)
print(asyncio.TimeoutError is TimeoutError, issubclass(TimeoutError, OSError), issubclass(asyncio.CancelledError, BaseException))
print(issubclass(asyncio.CancelledError, Exception), issubclass(KeyboardInterrupt, Exception), issubclass(SystemExit, Exception))
print(issubclass(KeyError, LookupError), issubclass(IndexError, LookupError), issubclass(ZeroDivisionError, ArithmeticError))
print(issubclass(NotImplementedError, RuntimeError), issubclass(StopIteration, Exception), issubclass(bool, int))
for exc in [KeyboardInterrupt("ctrl-c"), SystemExit(2), ValueError("v"), asyncio.CancelledError("c")]:
    try:
        try:
            raise exc
        except Exception as e:
            print("except Exception caught", type(e).__name__)
    except BaseException as e:
        print("only except BaseException caught", type(e).__name__, e.args)
try:
    raise IndexError("custom index message")
except LookupError as e:
    print("LookupError handler:", type(e).__name__, e)
try:
    raise TimeoutError
except OSError as e:
    print("TimeoutError via OSError handler:", repr(e))
e = ValueError("original")
e.args = ("replaced", 1)
print(e, e.args)
err = RuntimeError("attrs")
err.detail = {"code": 7}
print(err.detail["code"], isinstance(err, BaseException), isinstance(err, ValueError))
