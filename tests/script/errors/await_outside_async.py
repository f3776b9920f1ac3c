# SPDX-License-Identifier: GPL-3.0-or-later
# A SyntaxError: `await` inside a plain (non-async) function, line 9.
import asyncio

print("not printed")


def not_async():
    await asyncio.sleep(1)
