// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

namespace loopscope::views {

class TimelineModel;

// Saving and opening runs as Trace Event Format JSON (the JSON Object Format), which
// ui.perfetto.dev and chrome://tracing open, with the raw engine events alongside so that
// loopscope can open the file again exactly:
//
//   {"traceEvents": [ ...what trace viewers draw... ],
//    "loopscope": {"format": 1, ..., "eventCount": N,
//                  "events": [[seq, t_ns, detail, task, site, arg, kind, a8, flags, text], ...]}}
//
// traceEvents: one process "loopscope"; the loop row is its main thread ("loop thread", tid 1);
// each task is a thread (tid 2, 3, ... in tree order, named after the task, sorted by
// thread_sort_index) holding its states as complete slices ("ph":"X", name = state, args: task
// id, await site, what is awaited) and its markers as thread instants (not the await markers:
// the slices carry those). Signals and shutdown phases are process instants; each cancel request
// is a flow ("ph":"s" -> "ph":"f", "bp":"e") from the request to the CancelledError it led to;
// timeout scopes are async slices ("ph":"b"/"e", category "timeout"). Times are microseconds
// with three decimals (exact ns).
//
// "loopscope" comes after "traceEvents" on purpose: Perfetto's JSON tokenizer skips unknown
// top-level keys (older versions stop reading at the first one), and chrome://tracing keeps them
// as trace metadata. "metadata" is avoided: Perfetto stores that dictionary in its metadata table.
//
// Raw events: `detail` (a uint64) is written as the signed 64-bit integer with the same bits, so
// every value stays exact for JSON readers that keep 64-bit integers; `text` is a JSON string, or
// {"base64": "..."} for bytes that are not valid UTF-8.

// Writes `model` to `path` atomically (a temporary file renamed over `path` only once complete):
// a failed write leaves any existing file untouched. Streams the output, so memory stays flat for
// runs of millions of events. On failure returns false and sets `*error` (if given), e.g.
// "Cannot write /x/y.json: Permission denied".
bool writeTraceJson(const TimelineModel& model, const QString& path, QString* error);

// Opens a file written by writeTraceJson(): validates every raw event (shape, types, kind and
// enum ranges, increasing seq) and only then clear()s `model` and appends them. On any error
// `model` is left untouched and `*error` (if given) names the problem and where it is:
//   "run.json:12:5: unterminated object (the file ends here: truncated?)"
//   "run.json:3:40: event 1234: unknown kind 250"       (event = index in the events array)
//   "run.json: not a loopscope trace (no "loopscope" section): exported by another tool?"
// The file is scanned in place; only the raw events are materialised, not the traceEvents.
// "Cannot read run.json: Permission denied" when the file cannot be read; everything else as
// the overload below, with `path` as the name.
bool readTraceJson(const QString& path, TimelineModel& model, QString* error);

// The same for a trace already in memory (a mapped file, a download, a fuzzer's input); `name`
// starts every message. Any bytes are safe to give: the JSON is scanned without recursion,
// nesting deeper than 1024 arrays and objects is refused (as by QJsonDocument), and the memory
// used is bounded by a small multiple of data.size() whatever the file claims (an "eventCount"
// of a billion reserves nothing the file could not hold). `data` need not outlive the call.
bool readTraceJson(QByteArrayView data, const QString& name, TimelineModel& model, QString* error);

}  // namespace loopscope::views
