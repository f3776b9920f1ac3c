# SPDX-License-Identifier: GPL-3.0-or-later
# printf-style % formatting: %s %r %d %i %f %.Nf %e %g %x %X %o %c %%, width, precision, the
# - + 0 space and # flags, * width, a single value vs a tuple, a dict with %(name)s, and the
# TypeError when the argument count is wrong (the logging module formats messages this way).

print("%s is %d years and %.1f%% done" % ("Ann", 42, 99.5))
print("%5d|%-5d|%05d|%+d|% d|%x|%X|%o|%#x|%#o" % (42, 42, 42, 42, 42, 255, 255, 8, 255, 8))
print("%f|%.2f|%8.3f|%-8.2f|%08.2f|%e|%.3e|%g|%g" % (3.14159, 3.14159, 3.14159, 3.14159, -3.14159, 12345.678, 0.00012, 0.00001, 123.0))
print("%s|%r|%s|%r" % ("text", "text", [1, "a"], None))
print("%10s|%-10s|%.3s|%*d|%-*d|" % ("right", "left", "truncate", 6, 7, 4, 8))
print("%c%c %i" % (72, "i", 3.99))
print("single: %s" % "value", "tuple as one value: %s" % ((1, 2),))
print("%(name)s scored %(score)05.1f (%(name)r)" % {"name": "Bo", "score": 7.25})
print("%d items" % 3.7, "%s" % 3.0, "%d%%" % 100, "%%")
for args in [(1,), (1, 2, 3)]:
    try:
        print("%d and %d" % args)
    except TypeError as e:
        print("TypeError:", e)
try:
    print("%d" % "x")
except TypeError as e:
    print("TypeError:", e)
rows = [("alpha", 1, 0.5), ("beta", 22, 12.25), ("gamma", 333, 100.0)]
for name, count, ratio in rows:
    print("%-8s %4d %7.2f" % (name, count, ratio))
