# SPDX-License-Identifier: GPL-3.0-or-later
# with on a class with __enter__/__exit__: the value bound by `as`, the exception info passed
# to __exit__, suppressing an exception by returning True, several managers in one with
# (exited in reverse order), return and break inside a with body still calling __exit__.


class Resource:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress

    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()

    def __exit__(self, exc_type, exc, tb):
        kind = exc_type.__name__ if exc_type else None
        print("exit", self.name, kind, exc, tb is not None)
        return self.suppress


with Resource("a") as value:
    print("inside with, value =", value)

with Resource("quiet", suppress=True):
    raise ValueError("swallowed by __exit__")
print("after suppressed exception")

try:
    with Resource("loud"):
        raise KeyError("escapes")
except KeyError as e:
    print("caught outside:", repr(e))

with Resource("outer") as o, Resource("inner") as i:
    print("both:", o, i)


def leave_early():
    with Resource("early"):
        return "returned from inside with"


print(leave_early())
for i in range(3):
    with Resource(f"loop{i}"):
        if i == 1:
            break
