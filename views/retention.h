// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Engine-free, Qt-free: the text form of a TimelineModel::Retention, shared by the command line,
// the settings and the benchmarks.
#include <views/timelinemodel.h>

#include <optional>
#include <string>
#include <string_view>

namespace loopscope::views {

// "off" / "all" / "everything": keep everything. A duration keeps the last that much loop time:
// "90s", "5m", "5min", "1.5h", "250ms". A count keeps about the last that many events: "2000000ev",
// "2M events", "500k ev". Both, comma-separated: "5m,2M ev" (whichever is tighter wins).
// Case and spaces do not matter. Limits: at least 1 s and 10,000 events, at most 30 days and
// 2,000,000,000 events. On a bad text, nullopt and *error (if given) says what is wrong and where.
[[nodiscard]] std::optional<Retention> parseRetention(std::string_view text,
                                                      std::string* error = nullptr);
// "everything", "last 5 min", "last 2,000,000 events", "last 5 min or 2,000,000 events".
[[nodiscard]] std::string describeRetention(const Retention& retention);
// The parseable form: "off", "5m", "2000000ev", "5m,2000000ev".
[[nodiscard]] std::string retentionText(const Retention& retention);

}  // namespace loopscope::views
