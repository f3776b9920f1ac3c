# SPDX-License-Identifier: GPL-3.0-or-later
# User-defined exceptions: `class AppError(Exception): pass`, subclasses with extra attributes
# and a custom __init__ calling super().__init__, a custom __str__, except order with a class
# hierarchy, args/str/repr of each, raising an instance stored in a variable.


class AppError(Exception):
    pass


class NotFound(AppError):
    def __init__(self, key, where="db"):
        super().__init__(f"{key} not found in {where}")
        self.key = key
        self.where = where


class RetryLater(AppError):
    def __init__(self, delay):
        super().__init__(delay)
        self.delay = delay

    def __str__(self):
        return f"retry in {self.delay}s"


errors = [AppError(), AppError("plain"), AppError("two", 2), NotFound("user:1"), RetryLater(0.5)]
for err in errors:
    print(type(err).__name__, "| args", err.args, "| str", str(err), "| repr", repr(err))

for err in errors:
    try:
        raise err
    except NotFound as e:
        print("NotFound handler:", e.key, e.where)
    except RetryLater as e:
        print("RetryLater handler:", e.delay, e)
    except AppError as e:
        print("AppError handler:", e)

print(issubclass(NotFound, AppError), issubclass(AppError, Exception), isinstance(NotFound("k"), Exception))
e = NotFound("cfg", where="disk")
print(e.args[0], e.where)
try:
    raise NotFound("x") from KeyError("x")
except AppError as caught:
    print(repr(caught.__cause__), caught is not None)


class ValidationError(ValueError):
    """A ValueError subclass keeps being a ValueError."""

    def __init__(self, field, problems):
        super().__init__(field, problems)
        self.field = field
        self.problems = problems


try:
    raise ValidationError("age", ["negative", "too large"])
except ValueError as e:
    print("ValueError handler got", type(e).__name__, e.field, e.problems, e)
