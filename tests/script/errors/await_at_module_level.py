# SPDX-License-Identifier: GPL-3.0-or-later
# A SyntaxError: `await` at module level (line 6).
import asyncio

print("not printed")
await asyncio.sleep(0)
