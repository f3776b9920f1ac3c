# SPDX-License-Identifier: GPL-3.0-or-later
# Decorators as tutorials use them: a plain function decorator, a decorator factory with
# arguments, stacked decorators (applied bottom-up), and a decorator wrapping an async def that
# logs around the awaited call; the wrapper forwards *args and **kwargs.
import asyncio


def shout(func):
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs).upper()

    return wrapper


def repeat(times):
    def decorate(func):
        def wrapper(*args, **kwargs):
            return [func(*args, **kwargs) for _ in range(times)]

        return wrapper

    return decorate


def tagged(tag):
    def decorate(func):
        def wrapper(*args, **kwargs):
            return f"<{tag}>{func(*args, **kwargs)}</{tag}>"

        return wrapper

    return decorate


@shout
def greet(name, punctuation="!"):
    return f"hello {name}{punctuation}"


@repeat(3)
def roll(x):
    return x * 2


@tagged("b")
@tagged("i")
def word(w):
    return w


def logged(func):
    async def wrapper(*args, **kwargs):
        print("-> calling", func.__name__, args, kwargs)
        result = await func(*args, **kwargs)
        print("<- returned", result)
        return result

    return wrapper


@logged
async def fetch(url, retries=0):
    await asyncio.sleep(0.01)
    return f"content of {url} (retries={retries})"


print(greet("world"), greet("you", punctuation="?"))
print(roll(21))
print(word("text"))
print(greet.__name__)


async def main():
    await fetch("a")
    await fetch("b", retries=2)


asyncio.run(main())
