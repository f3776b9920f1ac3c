# SPDX-License-Identifier: GPL-3.0-or-later
# f-strings: {expr}, {x:.2f}, {x:>8}, {x!r}, {x!s}, {x=}, {x=:.1f}, nested specs {x:{w}.{p}f},
# fill/align (< > ^ =), sign, width, zero padding, thousands separators, %, e, g, d, x, o, b,
# #-alternate forms, {{ }} escapes, expressions with calls, indexing and conditionals; str.format
# with the same specs; format().
pi = 3.14159265
n = 42
name = "loop"
items = [1, 2, 3]
print(f"{n} {pi} {name} {items} {None} {True}")
print(f"{pi:.2f}|{pi:8.3f}|{pi:<8.1f}|{pi:^9.2f}|{pi:+.1f}|{-pi:.0f}")
print(f"[{name:>8}] [{name:<8}] [{name:^8}] [{name:*^9}] [{name:.2}]")
print(f"{name!r} {name!s} {items!r} {'quote'!r}")
print(f"{n=} {pi=:.1f} {name=!s} {n + 1=}")
width, precision = 10, 3
print(f"[{pi:{width}.{precision}f}] [{name:>{width}}] [{n:{'0'}{width}d}]")
print(f"{n:05d} {n:+d} {-n:05d} {n: d} {n:x} {n:X} {n:o} {n:b} {n:#x} {n:#b} {n:#o}")
print(f"{1234567:,} {1234567:_} {1234567.891:,.2f} {0.256:.1%} {1234.5:e} {0.00012:.2e}")
print(f"{1234.5:g} {0.00001234:g} {1e20:g} {100:g} {2.5:g} {123456789:g}")
print(f"{-42:=8d} {42:=+8d} {3.5:08.2f} {-3.5:08.2f}")
print(f"{{literal braces}} {{{n}}}")
print(f"{len(items)} items, max {max(items)}, first {items[0]}, {'yes' if n > 40 else 'no'}")
print(f"{name.upper()} {name[1:3]} {', '.join(str(i) for i in items)} {dict(a=1)['a']}")
print(f"{n:>{width}}|{n:<{width}}|{n:^{width}}|")
print(f"{True:>6} {None!r:>6} {3:>6.1f}")
print(f"{'nested ' + f'{n:03}'}")
print("{} and {}".format("a", "b"), "{1}{0}".format("x", "y"), "{k}={v:.1f}".format(k="pi", v=pi))
print("{:>6}|{:<6}|{:^6}|{:06.2f}".format("r", "l", "c", pi))
print(format(pi, ".3f"), format(n, "08b"), format("s", ">3"), format(12345, ","))
print(f"{'multi'}" f"{'part'}" "plain")
