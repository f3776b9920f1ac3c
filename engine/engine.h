// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The whole engine API: include this from scenarios, tests and benchmarks.
#include "engine/clock.h"
#include "engine/coro.h"
#include "engine/errors.h"
#include "engine/event.h"
#include "engine/executor.h"
#include "engine/future.h"
#include "engine/loop.h"
#include "engine/queue.h"
#include "engine/runner.h"
#include "engine/sink.h"
#include "engine/sleep.h"
#include "engine/streams.h"
#include "engine/sync.h"
#include "engine/task.h"
#include "engine/time.h"
#include "engine/timeout.h"
