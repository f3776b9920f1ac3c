// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/traceio.h"

// Engine and model headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <engine/event.h>
#include <engine/sink.h>
#include <views/atomicfile.h>
#include <views/timelinemodel.h>

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace loopscope::views {

namespace {

using engine::AwaitKind;
using engine::DecodedEvent;
using engine::EventKind;
using engine::TraceEvent;

// ---- the file layout --------------------------------------------------------------------------

constexpr int kFormatVersion = 1;
constexpr std::string_view kSectionKey = "loopscope";
constexpr std::size_t kFieldCount = 10;
constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "seq", "t_ns", "detail", "task", "site", "arg", "kind", "a8", "flags", "text"};

// One process; its main thread (tid == pid) is the loop row, tasks follow in tree order.
constexpr std::uint64_t kPid = 1;
constexpr std::uint64_t kLoopTid = 1;
constexpr std::uint64_t kFirstTaskTid = 2;

// Output goes to the file in chunks of about this size.
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
// Above this size a syntax error is described by our own scanner rather than by re-parsing the
// whole file with QJsonDocument, which would build the entire document in memory first (up to
// ~8 times the text: a 16-byte value for each 2-byte "0," of an array).
constexpr qsizetype kQtDiagnosisLimit = qsizetype{16} << 20;
// Deepest nesting of arrays and objects accepted, as QJsonDocument (a deeper document is a
// nesting bomb, not a trace; the scanner itself would cope, it keeps no recursion).
constexpr std::size_t kMaxDepth = 1024;
// A value quoted in a message is cut after this many bytes.
constexpr std::size_t kQuotedBytes = 24;

QString cannotWrite(const QString& path, const QString& why)
{
  return QStringLiteral("Cannot write %1: %2").arg(path, why);
}

bool fail(QString* error, const QString& message)
{
  if (error != nullptr)
    *error = message;
  return false;
}

// ---- UTF-8 ------------------------------------------------------------------------------------

// What a UTF-8 lead byte promises (RFC 3629: no overlongs, no surrogates, nothing above
// U+10FFFF): the sequence length (0: not a lead byte) and the range of the second byte.
struct Utf8Lead
{
  std::size_t length = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
};

Utf8Lead utf8Lead(unsigned char c)
{
  if (c < 0x80)
    return {1};
  if (c >= 0xC2 && c <= 0xDF)
    return {2};
  if (c >= 0xE0 && c <= 0xEF)
    return {3, static_cast<unsigned char>(c == 0xE0 ? 0xA0 : 0x80),
            static_cast<unsigned char>(c == 0xED ? 0x9F : 0xBF)};
  if (c >= 0xF0 && c <= 0xF4)
    return {4, static_cast<unsigned char>(c == 0xF0 ? 0x90 : 0x80),
            static_cast<unsigned char>(c == 0xF4 ? 0x8F : 0xBF)};
  return {};
}

// The first `count` bytes at p are valid as the start of the sequence (count >= 1).
bool utf8Continues(const unsigned char* p, std::size_t count, const Utf8Lead& lead)
{
  if (count >= 2 && (p[1] < lead.lo || p[1] > lead.hi))
    return false;
  for (std::size_t i = 2; i < count; ++i)
    if (p[i] < 0x80 || p[i] > 0xBF)
      return false;
  return true;
}

// Length of the well-formed UTF-8 sequence at p, or 0.
std::size_t utf8SequenceLength(const unsigned char* p, const unsigned char* end)
{
  const Utf8Lead lead = utf8Lead(*p);
  if (lead.length == 0 || static_cast<std::size_t>(end - p) < lead.length)
    return 0;
  return utf8Continues(p, lead.length, lead) ? lead.length : 0;
}

// The `size` bytes at p are a well-formed sequence but for its missing end: a cut character.
bool isCutUtf8Sequence(const unsigned char* p, std::size_t size)
{
  if (size == 0)
    return false;
  const Utf8Lead lead = utf8Lead(*p);
  return size < lead.length && utf8Continues(p, size, lead);
}

bool isValidUtf8(std::string_view s)
{
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const std::size_t n = utf8SequenceLength(p, end);
    if (n == 0)
      return false;
    p += n;
  }
  return true;
}

void appendUtf8(std::string& out, char32_t cp)
{
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// ---- writing ----------------------------------------------------------------------------------

// A JSON text built in a buffer and handed to the file chunk by chunk. After the first failed
// write everything else is dropped and error() says why.
class JsonOut
{
public:
  explicit JsonOut(QIODevice& file) : m_file(file) { m_buf.reserve(kChunkBytes + 64 * 1024); }

  void raw(std::string_view s) { m_buf.append(s); }
  void put(char c) { m_buf.push_back(c); }

  void integer(std::int64_t v) { number(v); }
  void unsignedInteger(std::uint64_t v) { number(v); }

  // Nanoseconds as microseconds with three decimals: exact, and "ts"/"dur" are floating.
  void micros(std::int64_t ns)
  {
    const bool negative = ns < 0;
    if (negative)
      put('-');
    micros(negative ? ~static_cast<std::uint64_t>(ns) + 1 : static_cast<std::uint64_t>(ns));
  }
  void micros(std::uint64_t magnitude)
  {
    unsignedInteger(magnitude / 1000);
    const auto frac = static_cast<unsigned>(magnitude % 1000);
    put('.');
    put(static_cast<char>('0' + frac / 100));
    put(static_cast<char>('0' + frac / 10 % 10));
    put(static_cast<char>('0' + frac % 10));
  }

  // A JSON string holding exactly these bytes, which must be valid UTF-8. Every control
  // character is escaped; nothing else is (readers that split on bytes never see a \u escape
  // unless the text itself has a control character).
  void exactString(std::string_view utf8)
  {
    put('"');
    for (const char ch : utf8) {
      const auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"':
          raw("\\\"");
          break;
        case '\\':
          raw("\\\\");
          break;
        case '\n':
          raw("\\n");
          break;
        case '\t':
          raw("\\t");
          break;
        case '\r':
          raw("\\r");
          break;
        case '\b':
          raw("\\b");
          break;
        case '\f':
          raw("\\f");
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            static constexpr char kHex[] = "0123456789abcdef";
            raw("\\u00");
            put(kHex[c >> 4]);
            put(kHex[c & 0xF]);
          } else {
            put(ch);
          }
      }
    }
    put('"');
  }

  // A name or label for trace viewers: control characters other than \n, \r and \t become
  // spaces and invalid UTF-8 becomes U+FFFD, so no \u escape is ever written (Perfetto's older
  // JSON tokenizer rejects them in some places).
  void displayString(std::string_view s)
  {
    const auto plainByte = [](char ch) {
      const auto c = static_cast<unsigned char>(ch);
      return (c >= 0x20 && c < 0x7F) || c == '\n' || c == '\r' || c == '\t';
    };
    if (std::all_of(s.begin(), s.end(), plainByte)) {
      exactString(s);
      return;
    }
    QString text = QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
    for (QChar& c : text)
      if (c.category() == QChar::Other_Control && c != QLatin1Char('\n') &&
          c != QLatin1Char('\r') && c != QLatin1Char('\t'))
        c = QLatin1Char(' ');
    const QByteArray utf8 = text.toUtf8();
    exactString(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
  }

  // Called between items: hands a full chunk to the file.
  void maybeDrain()
  {
    if (m_buf.size() >= kChunkBytes)
      drain();
  }

  bool finish()
  {
    drain();
    return m_error.isEmpty();
  }
  [[nodiscard]] const QString& error() const noexcept { return m_error; }

private:
  template <class T>
  void number(T v)
  {
    char digits[24];
    const auto r = std::to_chars(std::begin(digits), std::end(digits), v);
    m_buf.append(digits, r.ptr);
  }

  void drain()
  {
    const char* p = m_buf.data();
    qint64 left = static_cast<qint64>(m_buf.size());
    // A short write is not an error by itself: write the rest, and the next call reports why
    // it cannot go on (EFBIG, ENOSPC, ...) in errorString().
    while (left > 0 && m_error.isEmpty()) {
      const qint64 n = m_file.write(p, left);
      if (n <= 0) {
        m_error = m_file.errorString();
        break;
      }
      p += n;
      left -= n;
    }
    m_buf.clear();
  }

  QIODevice& m_file;
  std::string m_buf;
  QString m_error;
};

// ---- what the trace viewers draw --------------------------------------------------------------

std::string seconds(std::int64_t ns)
{
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(ns) * 1e-9);
  return buf;
}

std::string_view cancelSourceName(std::uint8_t source)
{
  constexpr std::array<std::string_view, 5> kNames = {"user", "timeout", "propagated", "shutdown",
                                                      "signal"};
  static_assert(kNames.size() == static_cast<std::size_t>(engine::CancelSource::Signal) + 1);
  return source < kNames.size() ? kNames[source] : std::string_view("?");
}

std::string_view cancelViaName(std::uint8_t via)
{
  constexpr std::array<std::string_view, 3> kNames = {"direct", "awaited task", "awaited future"};
  static_assert(kNames.size() == static_cast<std::size_t>(engine::CancelVia::Future) + 1);
  return via < kNames.size() ? kNames[via] : std::string_view("?");
}

std::string_view timeoutOutcomeName(engine::TimeoutOutcome outcome)
{
  switch (outcome) {
    case engine::TimeoutOutcome::NotExpired:
      return "finished in time";
    case engine::TimeoutOutcome::Converted:
      return "expired: TimeoutError";
    case engine::TimeoutOutcome::ExpiredPropagated:
      return "expired: another cancel pending, CancelledError propagates";
  }
  return "?";
}

std::string signalName(std::uint32_t number)
{
  switch (static_cast<int>(number)) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    case SIGQUIT:
      return "SIGQUIT";
    case SIGUSR1:
      return "SIGUSR1";
    case SIGUSR2:
      return "SIGUSR2";
    default:
      return std::to_string(number);
  }
}

// chrome://tracing colours (names from catapult's reserved list; an unknown name aborts its
// import). Perfetto ignores "cname".
std::string_view stateColour(TaskState state)
{
  switch (state) {
    case TaskState::Running:
      return "thread_state_running";
    case TaskState::Ready:
      return "thread_state_runnable";
    case TaskState::Suspended:
      return "thread_state_sleeping";
    case TaskState::Cancelling:
      return "yellow";
    default:
      return {};
  }
}

// Writes the traceEvents array.
class TraceEventsWriter
{
public:
  TraceEventsWriter(const TimelineModel& model, JsonOut& out) : m_model(model), m_out(out) {}

  void write()
  {
    assignTracks();
    for (std::size_t i = 0; i < m_model.cancels().size(); ++i)
      m_cancelsByTarget[m_model.cancels()[i].target].push_back(i);
    writeTrackNames();
    writeLoopRow();
    for (const std::uint32_t id : m_treeOrder)
      writeTask(*m_model.task(id));
    writeTimeouts();
    writeGlobalMarkers();
    writeLooseDiagnostics();
  }

private:
  // --- one event: {"ph":..,"ts":..,"dur":..,"pid":..,"tid":..,"cat":..,"name":.., ...} ---
  // "ph", "ts" and "dur" come first: Perfetto's tokenizer looks these up by scanning the keys
  // in order before it parses the event.
  void begin(char ph, std::int64_t t, std::optional<std::uint64_t> dur, std::uint64_t tid,
             std::string_view cat, std::string_view name)
  {
    m_out.raw(m_first ? "\n{\"ph\":\"" : ",\n{\"ph\":\"");
    m_first = false;
    m_out.put(ph);
    m_out.raw("\",\"ts\":");
    m_out.micros(t);
    if (dur) {
      m_out.raw(",\"dur\":");
      m_out.micros(*dur);
    }
    m_out.raw(",\"pid\":");
    m_out.unsignedInteger(kPid);
    m_out.raw(",\"tid\":");
    m_out.unsignedInteger(tid);
    m_out.raw(",\"cat\":\"");
    m_out.raw(cat);
    m_out.raw("\",\"name\":");
    m_out.displayString(name);
    m_argCount = -1;
  }
  void member(std::string_view key, std::string_view value)  // a plain (ASCII) member
  {
    m_out.raw(",\"");
    m_out.raw(key);
    m_out.raw("\":\"");
    m_out.raw(value);
    m_out.put('"');
  }
  void memberNumber(std::string_view key, std::uint64_t value)
  {
    m_out.raw(",\"");
    m_out.raw(key);
    m_out.raw("\":");
    m_out.unsignedInteger(value);
  }
  void argKey(std::string_view key)
  {
    m_out.raw(m_argCount < 0 ? ",\"args\":{\"" : ",\"");
    m_argCount = std::max(m_argCount, 0) + 1;
    m_out.raw(key);
    m_out.raw("\":");
  }
  void arg(std::string_view key, std::string_view value)
  {
    argKey(key);
    m_out.displayString(value);
  }
  void argInt(std::string_view key, std::int64_t value)
  {
    argKey(key);
    m_out.integer(value);
  }
  void argBool(std::string_view key, bool value)
  {
    argKey(key);
    m_out.raw(value ? "true" : "false");
  }
  void end()
  {
    if (m_argCount >= 0)
      m_out.put('}');
    m_out.put('}');
    m_out.maybeDrain();
  }

  std::int64_t endOf(std::int64_t start, std::int64_t end) const
  {
    return end == kOpenEnd ? std::max(start, m_model.endTime()) : end;
  }
  // stop - start without overflow (any two times a file can hold); 0 if stop is earlier.
  static std::uint64_t duration(std::int64_t start, std::int64_t stop)
  {
    return stop > start ? static_cast<std::uint64_t>(stop) - static_cast<std::uint64_t>(start) : 0;
  }

  // --- tracks ---
  void assignTracks()
  {
    // Tree order: each parent followed by its children, depth first, in creation order; tasks
    // whose parent is unknown are roots. Explicit stack: task trees can be deep.
    std::vector<std::uint32_t> stack;
    for (std::size_t i = m_model.taskCount(); i-- > 0;) {
      const TaskInfo& t = m_model.taskAt(i);
      if (t.parent == 0 || t.parent == t.id || m_model.task(t.parent) == nullptr)
        stack.push_back(t.id);
    }
    while (!stack.empty()) {
      const std::uint32_t id = stack.back();
      stack.pop_back();
      if (!m_tids.try_emplace(id, kFirstTaskTid + m_treeOrder.size()).second)
        continue;  // a malformed tree (a cycle): each task once
      m_treeOrder.push_back(id);
      const TaskInfo& t = *m_model.task(id);
      for (auto it = t.children.rbegin(); it != t.children.rend(); ++it)
        if (m_model.task(*it) != nullptr)
          stack.push_back(*it);
    }
    // Tasks only reachable through a cycle still get a track.
    for (std::size_t i = 0; i < m_model.taskCount(); ++i) {
      const std::uint32_t id = m_model.taskAt(i).id;
      if (m_tids.try_emplace(id, kFirstTaskTid + m_treeOrder.size()).second)
        m_treeOrder.push_back(id);
    }
  }

  void trackName(std::uint64_t tid, std::string_view name, std::uint64_t sortIndex)
  {
    // Metadata events carry a "ts" too, so that Perfetto finds one without scanning the args.
    begin('M', m_model.startTime(), std::nullopt, tid, "__metadata", "thread_name");
    arg("name", name);
    end();
    begin('M', m_model.startTime(), std::nullopt, tid, "__metadata", "thread_sort_index");
    argInt("sort_index", static_cast<std::int64_t>(sortIndex));
    end();
  }

  void writeTrackNames()
  {
    begin('M', m_model.startTime(), std::nullopt, kLoopTid, "__metadata", "process_name");
    arg("name", "loopscope");
    end();
    trackName(kLoopTid, "loop thread", 0);
    for (std::size_t rank = 0; rank < m_treeOrder.size(); ++rank)
      trackName(kFirstTaskTid + rank, m_model.task(m_treeOrder[rank])->name, rank + 1);
  }

  // --- the loop row ---
  void writeLoopRow()
  {
    for (const LoopSpan& span : m_model.loopSpans()) {
      const std::int64_t stop = endOf(span.start, span.end);
      std::string name;
      switch (span.kind) {
        case LoopSpan::Kind::Step:
          name = m_model.taskName(span.task);
          break;
        case LoopSpan::Kind::Callback:
          name = "callback";
          break;
        case LoopSpan::Kind::Idle:
          name = "idle";
          break;
      }
      begin('X', span.start, duration(span.start, stop), kLoopTid, "loop", name);
      if (span.slow)
        member("cname", "terrible");
      else if (span.kind == LoopSpan::Kind::Idle)
        member("cname", "thread_state_sleeping");
      if (span.kind == LoopSpan::Kind::Step)
        argInt("task", span.task);
      if (span.slow)
        argBool("slow", true);
      end();
    }
  }

  // --- tasks ---
  std::string awaitingText(engine::AwaitKind kind, std::uint64_t object) const
  {
    switch (kind) {
      case AwaitKind::None:
        return {};
      case AwaitKind::Yield:
        return "sleep(0)";
      case AwaitKind::Sleep:
        return "sleep until " + seconds(static_cast<std::int64_t>(object));
      case AwaitKind::Task:
        return "task " + m_model.taskName(static_cast<std::uint32_t>(object));
      case AwaitKind::Future:
        return "future #" + std::to_string(object);
      default: {
        std::string label = m_model.objectLabel(object);
        if (!label.empty())
          return label;
        label = std::string(engine::await_kind_name(kind));
        if (object != 0)
          label += " #" + std::to_string(object);
        return label;
      }
    }
  }

  void siteArgs(std::uint32_t siteId)
  {
    if (const Site* site = m_model.site(siteId)) {
      arg("site", site->location());
      if (!site->function.empty())
        arg("function", site->function);
    }
  }

  void writeTask(const TaskInfo& task)
  {
    const std::uint64_t tid = m_tids.at(task.id);
    for (const StateSpan& span : task.spans) {
      const std::int64_t stop = endOf(span.start, span.end);
      begin('X', span.start, duration(span.start, stop), tid, "task", taskStateName(span.state));
      if (const std::string_view colour = stateColour(span.state); !colour.empty())
        member("cname", colour);
      argInt("task", task.id);
      if (span.state == TaskState::Suspended || span.state == TaskState::Cancelling) {
        if (span.await != AwaitKind::None)
          arg("await", engine::await_kind_name(span.await));
        siteArgs(span.site);
        if (const std::string what = awaitingText(span.await, span.object); !what.empty())
          arg("awaiting", what);
      }
      end();
    }
    writeMarkers(task, tid);
  }

  void writeMarkers(const TaskInfo& task, std::uint64_t tid)
  {
    // This task's cancellations in request order; a request's flow starts at its marker and
    // ends at the CancelledError it led to.
    static const std::vector<std::size_t> kNone;
    const auto found = m_cancelsByTarget.find(task.id);
    const std::vector<std::size_t>& links =
        found != m_cancelsByTarget.end() ? found->second : kNone;
    std::size_t nextRequest = 0;
    std::vector<std::size_t> inFlight;  // flows started whose CancelledError is still to come

    for (const Marker& m : task.markers) {
      switch (m.kind) {
        case MarkerKind::Await:
          break;  // the state slices show every await, with its site
        case MarkerKind::CancelRequested: {
          begin('i', m.t, std::nullopt, tid, "cancel", "cancel requested");
          member("s", "t");
          argInt("task", task.id);
          arg("by", m.detail != 0 ? m_model.taskName(static_cast<std::uint32_t>(m.detail))
                                  : std::string("outside any task"));
          arg("source", cancelSourceName(m.a8));
          if (m.text != 0)
            arg("message", m_model.text(m.text));
          argInt("cancelling", m.arg);
          end();
          // Several requests in one instant: take them in order.
          while (nextRequest < links.size() &&
                 m_model.cancels()[links[nextRequest]].requested < m.t)
            ++nextRequest;
          if (nextRequest < links.size() &&
              m_model.cancels()[links[nextRequest]].requested == m.t) {
            // The arrow starts where the cancel() was called: the requesting task's track,
            // or the loop's for a request from outside any task (toolbar, callback, signal).
            const std::uint32_t by = m_model.cancels()[links[nextRequest]].requester;
            const auto byTid = m_tids.find(by);
            flow('s', m.t, by != 0 && byTid != m_tids.end() ? byTid->second : kLoopTid,
                 links[nextRequest]);
            inFlight.push_back(links[nextRequest++]);
          }
          break;
        }
        case MarkerKind::CancelDelivered: {
          begin('i', m.t, std::nullopt, tid, "cancel", "CancelledError delivered");
          member("s", "t");
          argInt("task", task.id);
          siteArgs(m.site);
          arg("via", cancelViaName(m.a8));
          if (m.text != 0)
            arg("message", m_model.text(m.text));
          argInt("cancelling", m.arg);
          end();
          // Every request since the previous CancelledError led to this one.
          std::size_t kept = 0;
          for (std::size_t k = 0; k < inFlight.size(); ++k) {
            if (m_model.cancels()[inFlight[k]].delivered == m.t)
              flow('f', m.t, tid, inFlight[k]);
            else
              inFlight[kept++] = inFlight[k];
          }
          inFlight.resize(kept);
          break;
        }
        case MarkerKind::CancelSwallowed:
          instant(m, tid, "cancel", "CancelledError swallowed");
          siteArgs(m.site);
          argInt("cancelling", m.arg);
          end();
          break;
        case MarkerKind::Uncancel:
          instant(m, tid, "cancel", "uncancel");
          argInt("cancelling", m.arg);
          end();
          break;
        case MarkerKind::TimeoutFired:
          instant(m, tid, "timeout", "timeout fired");
          argInt("scope", m.arg);
          arg("deadline", seconds(static_cast<std::int64_t>(m.detail)));
          end();
          break;
        case MarkerKind::SlowStep: {
          instant(m, tid, "marker", "slow step");
          char took[48];
          std::snprintf(took, sizeof took, "%.3f", static_cast<double>(m.detail) * 1e-9);
          arg("message", "Executing " + task.name + " took " + took + " seconds");
          argInt("duration_ns", static_cast<std::int64_t>(m.detail));
          end();
          break;
        }
        case MarkerKind::Diagnostic:
          instant(m, tid, "diagnostic",
                  "diagnostic: " + std::string(engine::diagnostic_kind_name(
                                       static_cast<engine::DiagnosticKind>(m.a8))));
          if (m.text != 0)
            arg("message", m_model.text(m.text));
          end();
          break;
        case MarkerKind::Print:
          instant(m, tid, "marker", "print");
          arg("text", m_model.text(m.text));
          end();
          break;
        case MarkerKind::ExecutorJob:
          instant(m, tid, "marker", "executor job");
          argInt("job", static_cast<std::int64_t>(m.detail));
          argInt("worker", m.arg);
          end();
          break;
        case MarkerKind::Count_:
          break;
      }
    }
  }

  void instant(const Marker& m, std::uint64_t tid, std::string_view cat, std::string_view name)
  {
    begin('i', m.t, std::nullopt, tid, cat, name);
    member("s", "t");
    argInt("task", m.task);
  }

  // Flow ends bind to the slice that encloses them: written right after the instant they belong
  // to, with the same timestamp, that instant is the innermost slice (Perfetto binds to the
  // slice on top of the track's stack; chrome://tracing to the deepest slice at ts).
  void flow(char ph, std::int64_t t, std::uint64_t tid, std::size_t link)
  {
    begin(ph, t, std::nullopt, tid, "cancel", "cancel");
    memberNumber("id", link + 1);
    if (ph == 'f')
      member("bp", "e");
    end();
  }

  // --- process-wide ---
  void writeTimeouts()
  {
    const auto& scopes = m_model.timeouts();
    for (std::size_t i = 0; i < scopes.size(); ++i) {
      const TimeoutScope& s = scopes[i];
      const auto it = m_tids.find(s.task);
      const std::uint64_t tid = it != m_tids.end() ? it->second : kLoopTid;
      char id[24];
      std::snprintf(id, sizeof id, "0x%zx", i + 1);
      begin('b', s.armed, std::nullopt, tid, "timeout", "timeout");
      member("id", id);
      argInt("task", s.task);
      argInt("scope", s.scope);
      arg("deadline", s.deadline == kNever ? std::string("none") : seconds(s.deadline));
      end();
      const std::int64_t stop = s.disarmed != kNever ? s.disarmed : endOf(s.armed, kOpenEnd);
      begin('e', std::max(stop, s.armed), std::nullopt, tid, "timeout", "timeout");
      member("id", id);
      if (s.fired != kNever)
        arg("fired", seconds(s.fired));
      arg("outcome", s.disarmed != kNever ? timeoutOutcomeName(s.outcome) : "still armed");
      end();
    }
  }

  void writeGlobalMarkers()
  {
    for (const GlobalMarker& g : m_model.globalMarkers()) {
      if (g.kind == GlobalMarker::Kind::Signal) {
        begin('i', g.t, std::nullopt, kLoopTid, "signal", "signal " + signalName(g.arg));
        member("s", "p");
        argInt("signal", g.arg);
      } else {
        const auto phase = static_cast<engine::ShutdownPhaseKind>(g.phase);
        const std::string label =
            g.text != 0 ? m_model.text(g.text) : std::string(engine::shutdown_phase_name(phase));
        begin('i', g.t, std::nullopt, kLoopTid, "shutdown", "shutdown: " + label);
        member("s", "p");
        arg("phase", engine::shutdown_phase_name(phase));
        argInt("count", g.arg);
        if (phase == engine::ShutdownPhaseKind::Awaiting && g.detail != kNever)
          arg("grace_deadline", seconds(g.detail));
      }
      end();
    }
  }

  // Diagnostics about no known task (the loop itself) go on the loop row.
  void writeLooseDiagnostics()
  {
    for (const std::size_t index : m_model.diagnostics()) {
      const DecodedEvent& d = m_model.events()[index];
      if (m_model.task(d.ev.task) != nullptr)
        continue;
      const auto kind = static_cast<engine::DiagnosticKind>(d.ev.a8);
      begin('i', d.ev.t_ns, std::nullopt, kLoopTid, "diagnostic",
            "diagnostic: " + std::string(engine::diagnostic_kind_name(kind)));
      member("s", "t");
      if (!d.text.empty())
        arg("message", d.text);
      end();
    }
  }

  const TimelineModel& m_model;
  JsonOut& m_out;
  std::vector<std::uint32_t> m_treeOrder;
  std::unordered_map<std::uint32_t, std::uint64_t> m_tids;
  // Indexes into cancels() by target task, in request order.
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> m_cancelsByTarget;
  bool m_first = true;
  int m_argCount = -1;  // -1: no "args" object opened for the current event
};

void writeRawEvents(const TimelineModel& model, JsonOut& out)
{
  out.raw("\"");
  out.raw(kSectionKey);
  out.raw("\":{\"format\":");
  out.integer(kFormatVersion);
  out.raw(",\"fields\":[");
  for (std::size_t i = 0; i < kFieldNames.size(); ++i) {
    out.raw(i == 0 ? "\"" : ",\"");
    out.raw(kFieldNames[i]);
    out.put('"');
  }
  out.raw("],\"eventCount\":");
  out.unsignedInteger(model.events().storedCount());
  out.raw(",\"events\":[");
  bool first = true;
  for (const DecodedEvent& d : model.events()) {
    const TraceEvent& e = d.ev;
    out.raw(first ? "\n[" : ",\n[");
    first = false;
    out.unsignedInteger(e.seq);
    out.put(',');
    out.integer(e.t_ns);
    out.put(',');
    out.integer(static_cast<std::int64_t>(e.detail));  // the same 64 bits, signed
    out.put(',');
    out.unsignedInteger(e.task);
    out.put(',');
    out.unsignedInteger(e.site);
    out.put(',');
    out.unsignedInteger(e.arg);
    out.put(',');
    out.unsignedInteger(static_cast<std::uint8_t>(e.kind));
    out.put(',');
    out.unsignedInteger(e.a8);
    out.put(',');
    out.unsignedInteger(e.flags);
    out.put(',');
    if (isValidUtf8(d.text)) {
      out.exactString(d.text);
    } else {
      const QByteArray b64 =
          QByteArray::fromRawData(d.text.data(), static_cast<qsizetype>(d.text.size())).toBase64();
      out.raw("{\"base64\":\"");
      out.raw(std::string_view(b64.constData(), static_cast<std::size_t>(b64.size())));
      out.raw("\"}");
    }
    out.put(']');
    out.maybeDrain();
  }
  out.raw("\n]}");
}

// ---- reading ----------------------------------------------------------------------------------

// Where and why reading stopped. A syntax error is re-described by QJsonDocument when the file
// is small enough, so the message is Qt's own.
struct Failure
{
  bool syntax = false;
  bool located = true;  // false: about the file as a whole
  std::size_t offset = 0;
  QString message;
  bool truncated = false;  // a syntax error because the text ends (offset is its end)
};

// The enum payloads each kind carries in a8 (and arg, for a ShutdownHeld diagnostic).
std::optional<QString> checkPayload(const TraceEvent& e)
{
  auto above = [&](unsigned last, const char* what) -> std::optional<QString> {
    if (e.a8 <= last)
      return std::nullopt;
    return QStringLiteral("%1 %2 is out of range for %3 (0..%4)")
        .arg(QLatin1String(what))
        .arg(static_cast<uint>(e.a8))
        .arg(QLatin1String(engine::event_kind_name(e.kind).data(),
                           static_cast<qsizetype>(engine::event_kind_name(e.kind).size())))
        .arg(last);
  };
  constexpr auto last = [](auto count) {
    return static_cast<unsigned>(count) - 1;
  };
  switch (e.kind) {
    case EventKind::TaskCreated:
      return above(1, "a8 (named)");
    case EventKind::Suspended:
    case EventKind::Ready:
    case EventKind::ObjectCreated:
      return above(last(AwaitKind::Count_), "a8 (AwaitKind)");
    case EventKind::TaskDone:
      return above(static_cast<unsigned>(engine::TaskOutcome::Cancelled), "a8 (TaskOutcome)");
    case EventKind::CancelRequested:
      return above(static_cast<unsigned>(engine::CancelSource::Signal), "a8 (CancelSource)");
    case EventKind::CancelDelivered:
      return above(static_cast<unsigned>(engine::CancelVia::Future), "a8 (CancelVia)");
    case EventKind::TimeoutDisarmed:
      return above(static_cast<unsigned>(engine::TimeoutOutcome::ExpiredPropagated),
                   "a8 (TimeoutOutcome)");
    case EventKind::ShutdownPhase:
      return above(last(engine::ShutdownPhaseKind::Count_), "a8 (ShutdownPhaseKind)");
    case EventKind::Diagnostic:
      if (auto bad = above(last(engine::DiagnosticKind::Count_), "a8 (DiagnosticKind)"))
        return bad;
      if (static_cast<engine::DiagnosticKind>(e.a8) == engine::DiagnosticKind::ShutdownHeld &&
          e.arg > last(engine::ShutdownHold::Count_))
        return QStringLiteral("arg %1 is out of range for a ShutdownHeld diagnostic (0..%2)")
            .arg(e.arg)
            .arg(last(engine::ShutdownHold::Count_));
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// A JSON scanner over the file's bytes. It validates the whole document (JSON grammar, UTF-8)
// without building it, and decodes only the "loopscope" section: the traceEvents array, usually
// the bulk of the file, is skipped.
class TraceScanner
{
public:
  TraceScanner(const char* data, std::size_t size) : m_begin(data), m_p(data), m_end(data + size) {}

  // True when the document is valid and holds a valid loopscope section (events()).
  bool run()
  {
    ws();
    if (m_p == m_end)
      return syntax("illegal value");
    if (*m_p != '{') {
      if (!skipValue())
        return false;
      return trailer() && noSection();
    }
    ++m_p;
    const Level level(m_depth);
    ws();
    if (m_p < m_end && *m_p == '}') {
      ++m_p;
      return trailer() && noSection();
    }
    for (;;) {
      std::string key;
      if (!memberKey(&key))
        return false;
      if (key == kSectionKey) {
        if (m_found)
          return semantic(m_p - m_begin, QStringLiteral("a second \"loopscope\" section"));
        m_found = true;
        if (!section())
          return false;
      } else if (!skipValue()) {
        return false;
      }
      ws();
      if (m_p == m_end)
        return syntax("unterminated object");
      if (*m_p == ',') {
        ++m_p;
        continue;
      }
      if (*m_p == '}') {
        ++m_p;
        break;
      }
      return syntax("missing value separator");
    }
    if (!trailer())
      return false;
    return m_found || noSection();
  }

  [[nodiscard]] const Failure& failure() const noexcept { return m_failure; }
  [[nodiscard]] std::vector<DecodedEvent>& events() noexcept { return m_events; }

private:
  // One level of the structured part (the top object, the section, the events array, an event,
  // a text object); skipValue() counts the levels it opens on top of these.
  class Level
  {
  public:
    explicit Level(std::size_t& depth) : m_depth(++depth) {}
    ~Level() { --m_depth; }
    Level(const Level&) = delete;
    Level& operator=(const Level&) = delete;

  private:
    std::size_t& m_depth;
  };

  struct Number
  {
    bool negative = false;
    bool integer = true;    // no fraction, no exponent
    bool overflow = false;  // magnitude above 2^64 - 1
    std::uint64_t magnitude = 0;
  };

  bool syntax(const char* message)
  {
    m_failure = Failure{true, true, static_cast<std::size_t>(m_p - m_begin), QLatin1String(message),
                        m_p == m_end};
    return false;
  }
  bool semantic(std::ptrdiff_t offset, QString message)
  {
    m_failure = Failure{false, true, static_cast<std::size_t>(offset), std::move(message)};
    return false;
  }
  bool noSection()
  {
    m_failure =
        Failure{false, false, 0,
                QStringLiteral(
                    "not a loopscope trace (no \"loopscope\" section): exported by another tool?")};
    return false;
  }

  void ws()
  {
    while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
      ++m_p;
  }

  bool trailer()
  {
    ws();
    return m_p == m_end || syntax("garbage at the end of the document");
  }

  // A string at m_p (which is '"'); decoded into *out if given.
  bool string(std::string* out)
  {
    ++m_p;
    for (;;) {
      if (m_p == m_end)
        return syntax("unterminated string");
      const auto c = static_cast<unsigned char>(*m_p);
      if (c == '"') {
        ++m_p;
        return true;
      }
      if (c == '\\') {
        if (!escape(out))
          return false;
        continue;
      }
      // Like QJsonDocument, raw control characters are accepted; UTF-8 must be well formed.
      const std::size_t n = utf8SequenceLength(reinterpret_cast<const unsigned char*>(m_p),
                                               reinterpret_cast<const unsigned char*>(m_end));
      if (n == 0) {
        if (cutSequence())
          return syntax("unterminated string");
        return syntax("invalid UTF8 string");
      }
      if (out != nullptr)
        out->append(m_p, n);
      m_p += n;
    }
  }

  // True (and at the end) when the rest of the text is the start of a well-formed UTF-8
  // sequence: the file was cut inside a character.
  bool cutSequence()
  {
    if (!isCutUtf8Sequence(reinterpret_cast<const unsigned char*>(m_p),
                           static_cast<std::size_t>(m_end - m_p)))
      return false;
    m_p = m_end;
    return true;
  }

  bool hex4(char32_t& value)
  {
    if (m_end - m_p < 4) {
      // Cut inside the escape: the string never ends.
      if (std::all_of(m_p, m_end,
                      [](char h) { return std::isxdigit(static_cast<unsigned char>(h)) != 0; })) {
        m_p = m_end;
        return syntax("unterminated string");
      }
      return syntax("invalid escape sequence");
    }
    value = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = *m_p++;
      value <<= 4;
      if (h >= '0' && h <= '9')
        value |= static_cast<char32_t>(h - '0');
      else if (h >= 'a' && h <= 'f')
        value |= static_cast<char32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        value |= static_cast<char32_t>(h - 'A' + 10);
      else
        return syntax("invalid escape sequence");
    }
    return true;
  }

  bool escape(std::string* out)
  {
    ++m_p;  // the backslash
    if (m_p == m_end)
      return syntax("unterminated string");
    char decoded = 0;
    switch (*m_p) {
      case '"':
      case '\\':
      case '/':
        decoded = *m_p;
        break;
      case 'b':
        decoded = '\b';
        break;
      case 'f':
        decoded = '\f';
        break;
      case 'n':
        decoded = '\n';
        break;
      case 'r':
        decoded = '\r';
        break;
      case 't':
        decoded = '\t';
        break;
      case 'u': {
        ++m_p;
        char32_t cp = 0;
        if (!hex4(cp))
          return false;
        if (cp >= 0xD800 && cp <= 0xDBFF && m_end - m_p >= 2 && m_p[0] == '\\' && m_p[1] == 'u') {
          const char* save = m_p;
          m_p += 2;
          char32_t low = 0;
          if (!hex4(low))
            return false;
          if (low >= 0xDC00 && low <= 0xDFFF)
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          else
            m_p = save;  // not a pair: the second escape is read on its own
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
          m_unpairedSurrogate = true;
          cp = 0xFFFD;
        }
        if (out != nullptr)
          appendUtf8(*out, cp);
        return true;
      }
      default:
        return syntax("invalid escape sequence");
    }
    if (out != nullptr)
      out->push_back(decoded);
    ++m_p;
    return true;
  }

  bool number(Number& n)
  {
    const char* start = m_p;
    if (*m_p == '-') {
      n.negative = true;
      ++m_p;
    }
    auto digit = [&] {
      return m_p < m_end && *m_p >= '0' && *m_p <= '9';
    };
    if (!digit()) {
      if (m_p == m_end)
        return syntax("invalid termination by number");
      m_p = start;
      return syntax("illegal number");
    }
    if (*m_p == '0') {
      ++m_p;
    } else {
      while (digit()) {
        const auto d = static_cast<std::uint64_t>(*m_p - '0');
        if (n.magnitude > (std::numeric_limits<std::uint64_t>::max() - d) / 10)
          n.overflow = true;
        else
          n.magnitude = n.magnitude * 10 + d;
        ++m_p;
      }
    }
    if (m_p < m_end && *m_p == '.') {
      ++m_p;
      n.integer = false;
      if (!digit())
        return syntax("illegal number");
      while (digit())
        ++m_p;
    }
    if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
      ++m_p;
      n.integer = false;
      if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
        ++m_p;
      if (!digit())
        return syntax("illegal number");
      while (digit())
        ++m_p;
    }
    if (m_p == m_end)
      return syntax("invalid termination by number");
    return true;
  }

  bool literal()
  {
    const std::string_view rest(m_p, static_cast<std::size_t>(m_end - m_p));
    for (const std::string_view word : {"true", "false", "null"}) {
      if (rest.starts_with(word)) {
        m_p += word.size();
        return true;
      }
      if (word.starts_with(rest))  // cut inside the word
        m_p = m_end;
    }
    return syntax("illegal value");
  }

  // `"key" :` at m_p (after whitespace).
  bool memberKey(std::string* key)
  {
    ws();
    if (m_p == m_end)
      return syntax("unterminated object");
    if (*m_p != '"')
      return syntax("illegal value");
    if (!string(key))
      return false;
    ws();
    if (m_p == m_end)
      return syntax("unterminated object");
    if (*m_p != ':')
      return syntax("missing name separator");
    ++m_p;
    return true;
  }

  // Any JSON value, validated and skipped. Iterative: nesting depth costs no stack, and is
  // limited to kMaxDepth like QJsonDocument's.
  bool skipValue()
  {
    std::vector<char> open;  // the closing character of each open container
    for (;;) {
      ws();
      if (m_p == m_end)
        return syntax(open.empty()         ? "illegal value"
                      : open.back() == '}' ? "unterminated object"
                                           : "unterminated array");
      const char c = *m_p;
      if (c == '{' || c == '[') {
        if (m_depth + open.size() >= kMaxDepth)
          return semantic(m_p - m_begin, QStringLiteral("more than %1 nested arrays and objects "
                                                        "(not a trace: a nesting bomb?)")
                                             .arg(kMaxDepth));
        ++m_p;
        ws();
        if (m_p < m_end && *m_p == (c == '{' ? '}' : ']')) {
          ++m_p;
        } else {
          open.push_back(c == '{' ? '}' : ']');
          if (c == '{' && !memberKey(nullptr))
            return false;
          continue;
        }
      } else if (c == '"') {
        if (!string(nullptr))
          return false;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        Number n;
        if (!number(n))
          return false;
      } else if (!literal()) {
        return false;
      }
      // A value ended: separators and closing brackets up to the next value.
      for (;;) {
        if (open.empty())
          return true;
        ws();
        if (m_p == m_end)
          return syntax(open.back() == '}' ? "unterminated object" : "unterminated array");
        if (*m_p == ',') {
          ++m_p;
          if (open.back() == '}' && !memberKey(nullptr))
            return false;
          break;
        }
        if (*m_p == open.back()) {
          ++m_p;
          open.pop_back();
          continue;
        }
        return syntax("missing value separator");
      }
    }
  }

  // A value that must be an integer; anything else is validated, then reported.
  bool integer(Number& n, std::size_t index, std::string_view field)
  {
    ws();
    const std::ptrdiff_t at = m_p - m_begin;
    if (m_p < m_end && (*m_p == '-' || (*m_p >= '0' && *m_p <= '9'))) {
      if (!number(n))
        return false;
      if (n.integer)
        return true;
      return semantic(at,
                      eventMessage(index, latin1(field) + QStringLiteral(" is not an integer")));
    }
    if (!skipValue())
      return false;
    return semantic(at, eventMessage(index, latin1(field) + QStringLiteral(" is not a number")));
  }

  // The text from `at` to m_p (ASCII: a number), cut after kQuotedBytes.
  QString quoted(std::ptrdiff_t at) const
  {
    const auto length = static_cast<std::size_t>(m_p - m_begin - at);
    QString text =
        QString::fromLatin1(m_begin + at, static_cast<qsizetype>(std::min(length, kQuotedBytes)));
    if (length > kQuotedBytes)
      text += QStringLiteral("... (%1 characters)").arg(length);
    return text;
  }

  static QString latin1(std::string_view s)
  {
    return QString::fromLatin1(s.data(), static_cast<qsizetype>(s.size()));
  }

  static QString eventMessage(std::size_t index, const QString& what)
  {
    return QStringLiteral("event %1: %2").arg(index).arg(what);
  }

  // "-12", "12", "(too large)": a number as written, for messages.
  static QString shown(const Number& n)
  {
    QString value = n.overflow ? QStringLiteral("(too large)") : QString::number(n.magnitude);
    if (n.negative)
      value.prepend(QLatin1Char('-'));
    return value;
  }

  bool outOfRange(std::ptrdiff_t at, std::size_t index, std::string_view field, const Number& n)
  {
    return semantic(
        at,
        eventMessage(index, QStringLiteral("%1 %2 is out of range").arg(latin1(field), shown(n))));
  }

  // The "loopscope" object.
  bool section()
  {
    ws();
    const std::ptrdiff_t start = m_p - m_begin;
    if (m_p == m_end || *m_p != '{') {
      if (!skipValue())
        return false;
      return semantic(start, QStringLiteral("the \"loopscope\" section is not an object"));
    }
    ++m_p;
    const Level level(m_depth);
    ws();
    std::optional<std::uint64_t> announced;
    std::ptrdiff_t eventsAt = start;
    bool haveFormat = false;
    bool haveEvents = false;
    if (m_p < m_end && *m_p == '}') {
      ++m_p;
    } else {
      for (;;) {
        std::string key;
        if (!memberKey(&key))
          return false;
        ws();
        const std::ptrdiff_t at = m_p - m_begin;
        if (key == "format") {
          Number n;
          if (m_p == m_end || !(*m_p == '-' || (*m_p >= '0' && *m_p <= '9'))) {
            if (!skipValue())
              return false;
            return semantic(at, QStringLiteral("the trace format version is not a number"));
          }
          if (!number(n))
            return false;
          if (!n.integer || n.negative || n.overflow || n.magnitude != kFormatVersion)
            return semantic(at, QStringLiteral("trace format %1 is not supported: this loopscope "
                                               "reads format %2")
                                    .arg(quoted(at))
                                    .arg(kFormatVersion));
          haveFormat = true;
        } else if (key == "eventCount") {
          Number n;
          if (m_p == m_end || !(*m_p >= '0' && *m_p <= '9')) {
            if (!skipValue())
              return false;
            return semantic(at, QStringLiteral("eventCount is not a count"));
          }
          if (!number(n))
            return false;
          if (!n.integer || n.overflow)
            return semantic(at, QStringLiteral("eventCount is not a count"));
          announced = n.magnitude;
        } else if (key == "events") {
          if (haveEvents)
            return semantic(at, QStringLiteral("a second \"events\" array"));
          haveEvents = true;
          eventsAt = at;
          if (!eventsArray(announced))
            return false;
        } else if (!skipValue()) {
          return false;
        }
        ws();
        if (m_p == m_end)
          return syntax("unterminated object");
        if (*m_p == ',') {
          ++m_p;
          continue;
        }
        if (*m_p == '}') {
          ++m_p;
          break;
        }
        return syntax("missing value separator");
      }
    }
    if (!haveFormat)
      return semantic(start, QStringLiteral("the \"loopscope\" section has no \"format\""));
    if (!haveEvents)
      return semantic(start, QStringLiteral("the \"loopscope\" section has no \"events\""));
    if (announced && *announced != m_events.size())
      return semantic(eventsAt, QStringLiteral("the section announces %1 events but holds %2: "
                                               "the file was cut short or edited")
                                    .arg(*announced)
                                    .arg(m_events.size()));
    return true;
  }

  bool eventsArray(std::optional<std::uint64_t> announced)
  {
    const std::ptrdiff_t at = m_p - m_begin;
    if (m_p == m_end || *m_p != '[') {
      if (!skipValue())
        return false;
      return semantic(at, QStringLiteral("\"events\" is not an array"));
    }
    // Trust the announced count only as far as the file could hold that many events.
    if (announced && *announced <= static_cast<std::uint64_t>(m_end - m_p) / 20)
      m_events.reserve(static_cast<std::size_t>(*announced));
    ++m_p;
    const Level level(m_depth);
    ws();
    if (m_p < m_end && *m_p == ']') {
      ++m_p;
      return true;
    }
    for (std::size_t index = 0;; ++index) {
      ws();
      if (m_p == m_end)
        return syntax("unterminated array");
      if (*m_p != '[') {
        const std::ptrdiff_t start = m_p - m_begin;
        if (!skipValue())
          return false;
        return semantic(start, eventMessage(index, QStringLiteral("not an array")));
      }
      if (!event(index))
        return false;
      ws();
      if (m_p == m_end)
        return syntax("unterminated array");
      if (*m_p == ',') {
        ++m_p;
        continue;
      }
      if (*m_p == ']') {
        ++m_p;
        return true;
      }
      return syntax("missing value separator");
    }
  }

  // One raw event: [seq, t_ns, detail, task, site, arg, kind, a8, flags, text].
  bool event(std::size_t index)
  {
    const std::ptrdiff_t start = m_p - m_begin;
    ++m_p;  // '['
    const Level level(m_depth);
    std::array<Number, kFieldCount - 1> numbers{};
    std::array<std::ptrdiff_t, kFieldCount> at{};
    std::string text;
    std::size_t count = 0;
    ws();
    if (m_p < m_end && *m_p == ']') {
      ++m_p;
    } else {
      for (;;) {
        ws();
        if (count < kFieldCount)
          at[count] = m_p - m_begin;
        if (count < kFieldCount - 1) {
          if (!integer(numbers[count], index, kFieldNames[count]))
            return false;
        } else if (count == kFieldCount - 1) {
          if (!eventText(index, text))
            return false;
        } else if (!skipValue()) {  // too many fields: counted, then reported
          return false;
        }
        ++count;
        ws();
        if (m_p == m_end)
          return syntax("unterminated array");
        if (*m_p == ',') {
          ++m_p;
          continue;
        }
        if (*m_p == ']') {
          ++m_p;
          break;
        }
        return syntax("missing value separator");
      }
    }
    if (count != kFieldCount)
      return semantic(start, eventMessage(index, QStringLiteral("has %1 fields, expected %2 "
                                                                "[seq, t_ns, detail, task, site, "
                                                                "arg, kind, a8, flags, text]")
                                                     .arg(count)
                                                     .arg(kFieldCount)));

    // Ranges: unsigned fields, the signed time, and detail (a uint64 written with its bits
    // as a signed number; a plain unsigned value is accepted too).
    auto unsignedField = [&](std::size_t i, std::uint64_t max, std::uint64_t& value) -> bool {
      const Number& n = numbers[i];
      if (n.overflow || (n.negative && n.magnitude != 0) || n.magnitude > max)
        return outOfRange(at[i], index, kFieldNames[i], n);
      value = n.magnitude;
      return true;
    };
    auto signedField = [&](std::size_t i, std::int64_t& value) -> bool {
      const Number& n = numbers[i];
      constexpr std::uint64_t kMaxPositive = std::numeric_limits<std::int64_t>::max();
      if (n.overflow || n.magnitude > kMaxPositive + (n.negative ? 1 : 0))
        return outOfRange(at[i], index, kFieldNames[i], n);
      value = n.negative ? static_cast<std::int64_t>(~n.magnitude + 1)
                         : static_cast<std::int64_t>(n.magnitude);
      return true;
    };

    TraceEvent e{};
    std::uint64_t value = 0;
    if (!unsignedField(0, std::numeric_limits<std::uint64_t>::max(), e.seq))
      return false;
    if (!signedField(1, e.t_ns))
      return false;
    if (numbers[2].negative) {
      std::int64_t detail = 0;
      if (!signedField(2, detail))
        return false;
      e.detail = static_cast<std::uint64_t>(detail);
    } else if (!unsignedField(2, std::numeric_limits<std::uint64_t>::max(), e.detail)) {
      return false;
    }
    constexpr std::uint64_t kMax32 = std::numeric_limits<std::uint32_t>::max();
    if (!unsignedField(3, kMax32, value))
      return false;
    e.task = static_cast<std::uint32_t>(value);
    if (!unsignedField(4, kMax32, value))
      return false;
    e.site = static_cast<std::uint32_t>(value);
    if (!unsignedField(5, kMax32, value))
      return false;
    e.arg = static_cast<std::uint32_t>(value);
    const Number& kind = numbers[6];
    if (kind.negative || kind.overflow ||
        kind.magnitude >= static_cast<std::uint64_t>(EventKind::Count_))
      return semantic(at[6],
                      eventMessage(index, QStringLiteral("unknown kind %1").arg(shown(kind))));
    e.kind = static_cast<EventKind>(kind.magnitude);
    if (!unsignedField(7, std::numeric_limits<std::uint8_t>::max(), value))
      return false;
    e.a8 = static_cast<std::uint8_t>(value);
    if (!unsignedField(8, std::numeric_limits<std::uint16_t>::max(), value))
      return false;
    e.flags = static_cast<std::uint16_t>(value);
    if ((e.flags & ~engine::kEventHasText) != 0)
      return semantic(
          at[8],
          eventMessage(index, QStringLiteral("flags 0x%1 has unknown bits").arg(e.flags, 0, 16)));
    if (const std::optional<QString> bad = checkPayload(e))
      return semantic(at[7], eventMessage(index, *bad));
    if (!m_events.empty() && e.seq <= m_events.back().ev.seq)
      return semantic(at[0], eventMessage(index, QStringLiteral("seq %1 does not follow seq %2 of "
                                                                "the event before (sequence "
                                                                "numbers must increase)")
                                                     .arg(e.seq)
                                                     .arg(m_events.back().ev.seq)));
    m_events.push_back(DecodedEvent{e, std::move(text)});
    return true;
  }

  // The text field: a string, or {"base64": "..."} for bytes that are not UTF-8.
  bool eventText(std::size_t index, std::string& text)
  {
    const std::ptrdiff_t at = m_p - m_begin;
    if (m_p < m_end && *m_p == '"') {
      m_unpairedSurrogate = false;
      if (!string(&text))
        return false;
      if (m_unpairedSurrogate)
        return semantic(at, eventMessage(index, QStringLiteral("text has an unpaired UTF-16 "
                                                               "surrogate escape")));
      return true;
    }
    if (m_p < m_end && *m_p == '{') {
      ++m_p;
      const Level level(m_depth);
      ws();
      std::optional<std::string> encoded;
      if (m_p < m_end && *m_p == '}') {
        ++m_p;
      } else {
        for (;;) {
          std::string key;
          if (!memberKey(&key))
            return false;
          ws();
          if (key == "base64" && m_p < m_end && *m_p == '"') {
            encoded.emplace();
            if (!string(&*encoded))
              return false;
          } else if (!skipValue()) {
            return false;
          }
          ws();
          if (m_p == m_end)
            return syntax("unterminated object");
          if (*m_p == ',') {
            ++m_p;
            continue;
          }
          if (*m_p == '}') {
            ++m_p;
            break;
          }
          return syntax("missing value separator");
        }
      }
      if (!encoded)
        return semantic(at, eventMessage(index, QStringLiteral("text object has no \"base64\" "
                                                               "string")));
      const QByteArray::FromBase64Result decoded = QByteArray::fromBase64Encoding(
          QByteArray::fromRawData(encoded->data(), static_cast<qsizetype>(encoded->size())),
          QByteArray::AbortOnBase64DecodingErrors);
      if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return semantic(at, eventMessage(index, QStringLiteral("text is not valid base64")));
      text.assign(decoded.decoded.constData(), static_cast<std::size_t>(decoded.decoded.size()));
      return true;
    }
    if (!skipValue())
      return false;
    return semantic(at, eventMessage(index, QStringLiteral("text is not a string")));
  }

  const char* m_begin;
  const char* m_p;
  const char* m_end;
  Failure m_failure;
  std::vector<DecodedEvent> m_events;
  std::size_t m_depth = 0;  // open Levels
  bool m_found = false;
  bool m_unpairedSurrogate = false;
};

// "12:5": 1-based line and column (in characters) of a byte offset.
QString lineColumn(const char* data, std::size_t size, std::size_t offset)
{
  offset = std::min(offset, size);
  qsizetype line = 1;
  std::size_t lineStart = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (data[i] == '\n') {
      ++line;
      lineStart = i + 1;
    }
  }
  qsizetype column = 1;
  for (std::size_t i = lineStart; i < offset; ++i)
    if ((static_cast<unsigned char>(data[i]) & 0xC0) != 0x80)  // not a continuation byte
      ++column;
  return QStringLiteral("%1:%2").arg(line).arg(column);
}

}  // namespace

bool writeTraceJson(const TimelineModel& model, const QString& path, QString* error)
{
  AtomicFile file(path);
  // Unbuffered: JsonOut buffers already, and QFileDevice's own buffer can lose a short write's
  // error on the way to commit().
  if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
    return fail(error, cannotWrite(path, file.errorString()));

  JsonOut out(file);
  out.raw("{\"traceEvents\":[");
  TraceEventsWriter(model, out).write();
  out.raw("\n],\n");
  // After traceEvents: see traceio.h.
  writeRawEvents(model, out);
  out.raw("}\n");

  if (!out.finish()) {
    const QString why = out.error();
    file.cancelWriting();
    return fail(error, cannotWrite(path, why));
  }
  if (!file.commit())
    return fail(error, cannotWrite(path, file.errorString()));
  return true;
}

bool readTraceJson(const QString& path, TimelineModel& model, QString* error)
{
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly))
    return fail(error, QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
  // Mapped where possible: the file is scanned once and only the raw events are copied out.
  const qint64 size = file.size();
  if (size > 0) {
    if (const uchar* mapped = file.map(0, size))
      return readTraceJson(QByteArrayView(mapped, static_cast<qsizetype>(size)), path, model,
                           error);
  }
  const QByteArray contents = file.readAll();
  if (file.error() != QFileDevice::NoError)
    return fail(error, QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
  return readTraceJson(QByteArrayView(contents), path, model, error);
}

bool readTraceJson(QByteArrayView data, const QString& name, TimelineModel& model, QString* error)
{
  const std::string_view text(data.data(), static_cast<std::size_t>(data.size()));
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return fail(error, QStringLiteral("%1: the file is empty").arg(name));

  TraceScanner scanner(text.data(), text.size());
  if (!scanner.run()) {
    Failure f = scanner.failure();
    if (f.syntax && !f.truncated && data.size() <= kQtDiagnosisLimit) {
      // Qt's words and position for the syntax error (a cut is described by the scanner: Qt
      // may name the last complete token instead of the end).
      QJsonParseError parse;
      (void)QJsonDocument::fromJson(QByteArray::fromRawData(data.data(), data.size()), &parse);
      if (parse.error != QJsonParseError::NoError) {
        f.offset = static_cast<std::size_t>(std::max(0, parse.offset));
        f.message = parse.errorString();
      }
    }
    if (!f.located)
      return fail(error, QStringLiteral("%1: %2").arg(name, f.message));
    QString message = QStringLiteral("%1:%2: %3")
                          .arg(name, lineColumn(text.data(), text.size(), f.offset), f.message);
    if (f.truncated)
      message += QStringLiteral(" (the file ends here: truncated?)");
    return fail(error, message);
  }

  model.clear();
  model.append(scanner.events());
  return true;
}

}  // namespace loopscope::views
