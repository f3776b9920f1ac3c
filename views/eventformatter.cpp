// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/eventformatter.h"

#include <QLatin1StringView>
#include <QStringList>

#include <csignal>
#include <optional>
#include <string_view>

namespace loopscope::views {

namespace {

using engine::AwaitKind;
using engine::CancelSource;
using engine::EventKind;
using engine::TaskOutcome;
using engine::TimeoutOutcome;

// "  1.234 s  " + name padded to this width + one space: messages line up in a column.
constexpr int kNameWidth = 13;
constexpr int kPrefixWidth = 11 + kNameWidth + 1;
// Deadlines that mean "never" (TimeoutArmed/TimeoutRescheduled).
constexpr std::uint64_t kNoDeadline = ~std::uint64_t{0};

QString fromUtf8(std::string_view s)
{
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// Engine text comes from scenarios: it must not carry control characters into the log.
void blankControls(QString& text, bool keepTabs)
{
  for (QChar& c : text) {
    if (c.category() == QChar::Other_Control && !(keepTabs && c == QLatin1Char('\t'))) {
      c = QLatin1Char(' ');
    }
  }
}

// Names and messages: one line.
QString oneLine(std::string_view s)
{
  QString text = fromUtf8(s);
  blankControls(text, false);
  return text;
}

QString seconds(std::int64_t ns)
{
  return QString::asprintf("%.3f s", static_cast<double>(ns) * 1e-9);
}

QString seconds(std::uint64_t ns)
{
  return seconds(static_cast<std::int64_t>(ns));
}

QString quoted(const QString& s)
{
  return QLatin1Char('"') + s + QLatin1Char('"');
}

QString signalName(std::uint32_t number)
{
  switch (static_cast<int>(number)) {
    case SIGINT:
      return QStringLiteral("SIGINT");
    case SIGTERM:
      return QStringLiteral("SIGTERM");
    case SIGHUP:
      return QStringLiteral("SIGHUP");
    case SIGQUIT:
      return QStringLiteral("SIGQUIT");
    case SIGUSR1:
      return QStringLiteral("SIGUSR1");
    case SIGUSR2:
      return QStringLiteral("SIGUSR2");
    default:
      return QString::number(number);
  }
}

}  // namespace

QString EventFormatter::taskName(std::uint32_t task) const
{
  if (task == 0) {
    return QStringLiteral("loop");
  }
  const auto it = m_taskNames.constFind(task);
  return it != m_taskNames.cend() ? *it : QStringLiteral("Task-%1").arg(task);
}

QString EventFormatter::siteLocation(std::uint32_t site) const
{
  if (site == 0) {
    return {};
  }
  const auto it = m_sites.constFind(site);
  return it != m_sites.cend() ? it->location : QStringLiteral("site #%1").arg(site);
}

QString EventFormatter::siteFunction(std::uint32_t site) const
{
  const auto it = m_sites.constFind(site);
  return it != m_sites.cend() ? it->function : QString();
}

QString EventFormatter::at(std::uint32_t site) const
{
  return site == 0 ? QString() : QStringLiteral(" at ") + siteLocation(site);
}

void EventFormatter::reset()
{
  m_taskNames.clear();
  m_sites.clear();
  m_objects.clear();
}

QString EventFormatter::format(const engine::DecodedEvent& event)
{
  const engine::TraceEvent& e = event.ev;
  // The name column shows the name the task had when the event happened, so a rename reads
  // `old-name  renamed to "new-name"`, while a creation already shows the new task's name.
  QString name = taskName(e.task);
  learn(event);
  const std::optional<QString> message = describe(event);
  if (!message) {
    return {};
  }
  if (e.kind == EventKind::TaskCreated) {
    name = taskName(e.task);
  }
  QString line = QString::asprintf("%7.3f s  ", static_cast<double>(e.t_ns) * 1e-9);
  line += name.leftJustified(kNameWidth);
  line += QLatin1Char(' ');
  line += *message;
  return line;
}

void EventFormatter::learn(const engine::DecodedEvent& event)
{
  const engine::TraceEvent& e = event.ev;
  switch (e.kind) {
    case EventKind::TaskCreated:
      // Unnamed tasks are announced without text; their name is derived from the id.
      if (e.a8 == 1 && !event.text.empty()) {
        m_taskNames.insert(e.task, oneLine(event.text));
      }
      break;
    case EventKind::TaskRenamed:
      m_taskNames.insert(e.task, oneLine(event.text));
      break;
    case EventKind::SiteDefined: {
      // "file\tline\tcolumn\tfunction"
      const QString text = fromUtf8(event.text);
      const QString file = text.section(QLatin1Char('\t'), 0, 0);
      const QString line = text.section(QLatin1Char('\t'), 1, 1);
      const QString function = text.section(QLatin1Char('\t'), 3, -1);
      m_sites.insert(e.site,
                     Site{file.section(QLatin1Char('/'), -1) + QLatin1Char(':') + line, function});
      break;
    }
    case EventKind::ObjectCreated:
      m_objects.insert(e.detail, fromUtf8(event.text));
      break;
    default:
      break;
  }
}

bool EventFormatter::shows(engine::EventKind kind) const noexcept
{
  switch (kind) {
    case EventKind::StepBegin:
    case EventKind::CallbackBegin:
    case EventKind::CallbackEnd:
      return m_options.showSteps;
    case EventKind::LoopWait:
    case EventKind::LoopWake:
    case EventKind::SiteDefined:
    case EventKind::ObjectCreated:
    case EventKind::Text:
    case EventKind::Count_:
      return false;
    default:
      return true;
  }
}

std::optional<QString> EventFormatter::describe(const engine::DecodedEvent& event) const
{
  const engine::TraceEvent& e = event.ev;
  if (!shows(e.kind)) {
    return std::nullopt;
  }
  switch (e.kind) {
    case EventKind::TaskCreated: {
      const QString by =
          e.detail != 0 ? QStringLiteral(" by ") + taskName(static_cast<std::uint32_t>(e.detail))
                        : QString();
      return QStringLiteral("created") + by + at(e.site);
    }
    case EventKind::TaskRenamed:
      return QStringLiteral("renamed to ") + quoted(oneLine(event.text));
    case EventKind::StepBegin:
      return m_options.showSteps ? std::optional(QStringLiteral("running")) : std::nullopt;
    case EventKind::Suspended: {
      const auto kind = static_cast<AwaitKind>(e.a8);
      QString what;
      switch (kind) {
        case AwaitKind::None:
          break;
        case AwaitKind::Yield:
          what = QStringLiteral("yield");
          break;
        case AwaitKind::Sleep:
          what = QStringLiteral("sleep until ") + seconds(e.detail);
          break;
        case AwaitKind::Task:
          what = QStringLiteral("awaiting ") + taskName(static_cast<std::uint32_t>(e.detail));
          break;
        case AwaitKind::Future:
          what = QStringLiteral("awaiting future #%1").arg(e.detail);
          break;
        default: {
          // Objects announced with ObjectCreated are named by their label ("Queue jobs").
          const auto label = m_objects.constFind(e.detail);
          what = QStringLiteral("awaiting ") +
                 (label != m_objects.constEnd() && !label->isEmpty()
                      ? *label
                      : fromUtf8(engine::await_kind_name(kind)) +
                            (e.detail != 0 ? QStringLiteral(" #%1").arg(e.detail) : QString()));
        }
      }
      return QStringLiteral("suspended") + at(e.site) +
             (what.isEmpty() ? QString() : QStringLiteral(" (") + what + QLatin1Char(')'));
    }
    case EventKind::Ready:
      if (static_cast<AwaitKind>(e.a8) == AwaitKind::Yield) {
        return QStringLiteral("yielded") + at(e.site) + QStringLiteral(" (sleep(0))");
      }
      return QStringLiteral("ready to run");
    case EventKind::TaskDone:
      switch (static_cast<TaskOutcome>(e.a8)) {
        case TaskOutcome::Result:
          return QStringLiteral("done: result");
        case TaskOutcome::Exception:
          return QStringLiteral("failed: ") + oneLine(event.text);
        case TaskOutcome::Cancelled:
          return event.text.empty() ? QStringLiteral("cancelled")
                                    : QStringLiteral("cancelled: ") + quoted(oneLine(event.text));
      }
      return QStringLiteral("done");
    case EventKind::CancelRequested: {
      const QString requester = taskName(static_cast<std::uint32_t>(e.detail));
      QString line;
      switch (static_cast<CancelSource>(e.a8)) {
        case CancelSource::User:
          line = e.detail != 0 ? QStringLiteral("cancel requested by ") + requester
                               : QStringLiteral("cancel requested from outside any task");
          break;
        case CancelSource::Timeout:
          line = QStringLiteral("cancel requested by a timeout");
          break;
        case CancelSource::Propagated:
          // The task awaiting this one was cancelled; asyncio passes that on to the awaited task.
          line = QStringLiteral("cancel passed on by an awaiting task");
          if (e.detail != 0) {
            line += QStringLiteral(" (requested by ") + requester + QLatin1Char(')');
          }
          break;
        case CancelSource::Shutdown:
          line = QStringLiteral("cancel requested by shutdown");
          break;
        case CancelSource::Signal:
          line = QStringLiteral("cancel requested by a signal");
          break;
        default:
          line = QStringLiteral("cancel requested");
          break;
      }
      if (!event.text.empty()) {
        line += QStringLiteral(": ") + quoted(oneLine(event.text));
      }
      if (e.arg > 1) {
        line += QStringLiteral(" (cancelling() = %1)").arg(e.arg);
      }
      return line;
    }
    case EventKind::CancelDelivered: {
      QString line = QStringLiteral("CancelledError");
      if (!event.text.empty()) {
        line += QLatin1Char('(') + quoted(oneLine(event.text)) + QLatin1Char(')');
      }
      line += QStringLiteral(" delivered") + at(e.site);
      // Raised by awaiting a task or future that ended cancelled, rather than thrown in directly.
      switch (static_cast<engine::CancelVia>(e.a8)) {
        case engine::CancelVia::Direct:
          break;
        case engine::CancelVia::Task:
          line += QStringLiteral(" (from awaited ") +
                  taskName(static_cast<std::uint32_t>(e.detail)) + QLatin1Char(')');
          break;
        case engine::CancelVia::Future:
          line += QStringLiteral(" (from awaited future #%1)").arg(e.detail);
          break;
      }
      return line;
    }
    case EventKind::CancelSwallowed:
      return e.site != 0 ? QStringLiteral("swallowed CancelledError (caught at %1 and went on)")
                               .arg(siteLocation(e.site))
                         : QStringLiteral("swallowed CancelledError (caught and went on)");
    case EventKind::Uncancel:
      return QStringLiteral("uncancel (cancelling() = %1)").arg(e.arg);
    case EventKind::TimeoutArmed:
    case EventKind::TimeoutRescheduled: {
      const QString verb = e.kind == EventKind::TimeoutArmed
                               ? QStringLiteral("timeout armed")
                               : QStringLiteral("timeout rescheduled");
      return verb + (e.detail == kNoDeadline
                         ? QStringLiteral(" (no deadline)")
                         : QStringLiteral(" (deadline ") + seconds(e.detail) + QLatin1Char(')'));
    }
    case EventKind::TimeoutFired:
      return QStringLiteral("timeout fired");
    case EventKind::TimeoutDisarmed:
      switch (static_cast<TimeoutOutcome>(e.a8)) {
        case TimeoutOutcome::NotExpired:
          return QStringLiteral("timeout disarmed (finished in time)");
        case TimeoutOutcome::Converted:
          return QStringLiteral("timeout expired: CancelledError became TimeoutError");
        case TimeoutOutcome::ExpiredPropagated:
          return QStringLiteral(
              "timeout expired, but another cancel is pending: CancelledError propagates");
      }
      return QStringLiteral("timeout disarmed");
    case EventKind::CallbackBegin:
      return m_options.showSteps
                 ? std::optional(QStringLiteral("callback #%1 running").arg(e.detail))
                 : std::nullopt;
    case EventKind::CallbackEnd:
      return m_options.showSteps
                 ? std::optional(QStringLiteral("callback #%1 finished").arg(e.detail))
                 : std::nullopt;
    case EventKind::CallbackError:
      return QStringLiteral("callback #%1 raised %2").arg(e.detail).arg(oneLine(event.text));
    case EventKind::SlowStep: {
      // asyncio's debug-mode words, so the message is recognisable.
      const QString what =
          e.task != 0 ? taskName(e.task) : QStringLiteral("callback #%1").arg(e.arg);
      return QStringLiteral("Executing %1 took %2 seconds")
          .arg(what, QString::number(static_cast<double>(e.detail) * 1e-9, 'f', 3));
    }
    case EventKind::LoopWait:
    case EventKind::LoopWake:
      return std::nullopt;
    case EventKind::SiteDefined:
      return std::nullopt;
    case EventKind::SignalReceived:
      return QStringLiteral("signal %1 received").arg(signalName(e.arg));
    case EventKind::ShutdownPhase: {
      QString line =
          QStringLiteral("shutdown: ") +
          (event.text.empty()
               ? fromUtf8(engine::shutdown_phase_name(static_cast<engine::ShutdownPhaseKind>(e.a8)))
               : oneLine(event.text));
      if (e.arg != 0) {
        line += QStringLiteral(" (%1)").arg(e.arg);
      }
      return line;
    }
    case EventKind::ExecutorJobBegin:
      return QStringLiteral("executor job #%1 started on worker thread %2")
          .arg(e.detail)
          .arg(e.arg);
    case EventKind::ExecutorJobEnd:
      return QStringLiteral("executor job #%1 finished on worker thread %2")
          .arg(e.detail)
          .arg(e.arg);
    case EventKind::Print: {
      // Multi-line output stays readable: continuation lines are indented under the first.
      QString text = fromUtf8(event.text);
      while (text.endsWith(QLatin1Char('\n'))) {
        text.chop(1);
      }
      const QString indent(kPrefixWidth, QLatin1Char(' '));
      QStringList lines = text.split(QLatin1Char('\n'));
      for (QString& l : lines) {
        blankControls(l, true);
      }
      return lines.join(QLatin1Char('\n') + indent);
    }
    case EventKind::ObjectCreated:
      return std::nullopt;
    case EventKind::Diagnostic: {
      const QString kind =
          fromUtf8(engine::diagnostic_kind_name(static_cast<engine::DiagnosticKind>(e.a8)));
      QString line = QStringLiteral("diagnostic: %1").arg(kind);
      if (!event.text.empty()) {
        line += QStringLiteral(": ") + oneLine(event.text);
      }
      return line;
    }
    case EventKind::Text:
    case EventKind::Count_:
      return std::nullopt;
  }
  return fromUtf8(engine::event_kind_name(e.kind));
}

}  // namespace loopscope::views
