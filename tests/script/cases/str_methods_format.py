# SPDX-License-Identifier: GPL-3.0-or-later
# str methods, part 2: format (positional, indexed, named, attribute/index fields, specs),
# encode, center/ljust/rjust (with fill), zfill (with signs), partition/rpartition, isdigit/
# isalpha/isalnum/isspace/isupper/islower/isidentifier/isdecimal/isnumeric, expandtabs,
# removeprefix/removesuffix, casefold, str() / repr() round trips, a text table.


class Job:
    def __init__(self, name):
        self.name = name


print("{} + {} = {}".format(1, 2, 3), "{0}{1}{0}".format("ab", "-"), "{x}:{y}".format(x=1, y=2))
print("{0.name} {1[0]} {2[key]}".format(Job("build"), ["first"], {"key": "v"}))
print("{:<6}|{:>6}|{:^6}|{:.3}|{:+}|{:,}".format("l", "r", "c", "truncate", 5, 10 ** 6))
print("héllo".encode(), "abc".encode("utf-8"), type("x".encode()).__name__)
print("[" + "mid".center(9) + "]", "[" + "mid".center(9, "*") + "]", "[" + "mid".center(8, "-") + "]")
print("[" + "l".ljust(5) + "]", "[" + "r".rjust(5, ".") + "]", "[" + "toolong".ljust(3) + "]")
print("42".zfill(5), "-42".zfill(6), "+7".zfill(4), "abc".zfill(5), "12345".zfill(3))
print("host:port:extra".partition(":"), "host:port:extra".rpartition(":"), "none".partition(":"))
for s in ["123", "12a", "abc", "ABC", "a b", "   ", "", "x_1", "1x", "Ab"]:
    print(repr(s), s.isdigit(), s.isalpha(), s.isalnum(), s.isspace(), s.isupper(), s.islower(), s.isidentifier(), s.isdecimal())
print("a\tb\tc".expandtabs(4), "Task-12".removeprefix("Task-"), "file.py".removesuffix(".py"), "MiXeD".casefold())
table = [("task", "state", "ms"), ("fetch", "done", 12), ("parse", "pending", 3)]
for name, state, ms in table:
    print(f"{name:<8}{state:^10}{str(ms):>5}")
print("=" * 23)
print("%s" % "abc".upper().center(11, "~"))
