# SPDX-License-Identifier: GPL-3.0-or-later
# def with positional, default, keyword, keyword-only, *args and **kwargs parameters; return
# (implicit None, tuples); lambdas (also with defaults); closures; recursion; defaults evaluated
# once; functions as values; docstrings.


def describe(a, b=2, *args, c, d=4, **kwargs):
    """Shows how the arguments were bound."""
    return f"a={a} b={b} args={args} c={c} d={d} kwargs={kwargs}"


print(describe(1, c=3))
print(describe(1, 5, 6, 7, c=3))
print(describe(a=9, c=0, d=1, z="zz", y=[1]))
print(describe(*[1, 2, 3], **{"c": 8, "extra": True}))


def no_return():
    pass


def early(x):
    if x < 0:
        return "negative"
    return


def pair(x):
    return x, x * 2


print(no_return(), early(-1), early(1))
print(pair(4), type(pair(4)).__name__)
first, second = pair(21)
print(first + second)

square = lambda x: x * x
add = lambda x, y=10: x + y
print(square(7), add(1), add(1, 2), (lambda: "called")())
print(sorted(["bb", "a", "ccc"], key=lambda s: -len(s)))


def make_counter(start=0):
    count = start

    def step(by=1):
        nonlocal count
        count += by
        return count

    return step


c1 = make_counter()
c2 = make_counter(100)
print(c1(), c1(), c1(5), c2(), c1())


def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)


print(fact(10), fact(20))


def append_to(item, bucket=[]):
    bucket.append(item)
    return bucket


print(append_to(1), append_to(2), append_to(3, []))

funcs = [square, fact, len]
print([f(4) if f is not len else f("four") for f in funcs])
print(describe.__name__, describe.__doc__)
adders = [lambda x, n=n: x + n for n in range(3)]
print([f(10) for f in adders])
