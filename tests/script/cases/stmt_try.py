# SPDX-License-Identifier: GPL-3.0-or-later
# try/except (T as e)/else/finally, several except clauses, a tuple of types, bare except,
# finally running on return/break/continue and with a pending exception, the `as` name unbound
# after the except block, nested try statements, handlers inside loops.


def attempt(value):
    try:
        result = 10 / value
    except ZeroDivisionError as e:
        print("  except ZeroDivisionError:", e)
        return "zero"
    except (TypeError, ValueError) as e:
        print("  except tuple:", type(e).__name__)
        return "bad type"
    else:
        print("  else, result", result)
        return result
    finally:
        print("  finally for", repr(value))


for v in [5, 0, "x"]:
    print("attempt ->", attempt(v))

try:
    [][1]
except:
    print("bare except caught something")


e = "before"
try:
    raise ValueError("temp")
except ValueError as e:
    pass
try:
    print(e)
except NameError as err:
    print("name unbound after except:", err)


def finally_wins():
    try:
        return "try"
    finally:
        print("finally runs before the return completes")


print(finally_wins())

for i in range(4):
    try:
        if i == 1:
            continue
        if i == 3:
            break
        print("loop body", i)
    finally:
        print("loop finally", i)

try:
    try:
        raise KeyError("k")
    finally:
        print("inner finally with pending exception")
except KeyError as e:
    print("propagated", repr(e))

for attempt in range(3):
    try:
        try:
            if attempt == 0:
                raise ValueError("inner")
            if attempt == 1:
                raise KeyError("passes the inner handler")
        except ValueError as e:
            print("inner handler:", e)
        else:
            print("inner else, attempt", attempt)
    except KeyError as e:
        print("outer handler:", e)
