// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/inspectorwidget.h"

#include <engine/event.h>
#include <views/timelinecoordinates.h>
#include <views/timelinestyle.h>

#include <QEvent>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_set>

namespace loopscope::views {

namespace {

using engine::AwaitKind;
using timeline::formatDuration;
using timeline::formatTime;

// Spans shown in the state history; older ones are counted, not listed.
constexpr std::size_t kHistorySpans = 50;
// Tasks shown under "awaited by" (a gather of thousands would drown the panel).
constexpr int kAwaitersShown = 20;
// Ancestors walked for the parent chain (only a corrupt stream nests deeper).
constexpr int kMaxAncestors = 64;
// Colours are CSS classes ("dim", "warn", "state-<n>"), defined by themeStyleSheet() for the
// palette's theme, so a light/dark switch needs no change to the HTML builders.
QString themeStyleSheet(const Theme& theme)
{
  QString css = QStringLiteral(".dim { color: %1; } .warn { color: %2; }")
                    .arg(theme.inspectorDim.name(), theme.inspectorWarning.name());
  for (std::size_t s = 0; s < kTaskStateCount; ++s) {
    css += QStringLiteral(" .state-%1 { color: %2; }").arg(s).arg(theme.states[s].name());
  }
  return css;
}

QString esc(std::string_view s)
{
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())).toHtmlEscaped();
}

QString qs(const std::string& s)
{
  return QString::fromStdString(s);
}

QString indent(int depth)
{
  QString out;
  for (int i = 0; i < depth; ++i) {
    out += QStringLiteral("&nbsp;&nbsp;&nbsp;");
  }
  return out;
}

// "└─ " under a parent line, nothing for the root.
QString branch(int depth)
{
  return depth == 0 ? QString() : indent(depth - 1) + QStringLiteral("└─ ");
}

QString taskLink(const TimelineModel& m, std::uint32_t id)
{
  if (id == 0) {
    return QStringLiteral("loop");
  }
  return QStringLiteral("<a href=\"task:%1\">%2</a>").arg(id).arg(esc(m.taskName(id)));
}

// "worker.cpp:41 in worker(int)"; "site #5" when the stream never defined it; empty for 0.
QString siteText(const TimelineModel& m, std::uint32_t site)
{
  if (site == 0) {
    return {};
  }
  const Site* s = m.site(site);
  if (s == nullptr) {
    return QStringLiteral("site #%1").arg(site);
  }
  // A link: the app shows a script's line in its code view.
  QString out = QStringLiteral("<a href=\"site:%1\">%2</a>").arg(site).arg(esc(s->location()));
  if (!s->function.empty()) {
    out += QStringLiteral(" in <code>%1</code>").arg(esc(engine::short_function_name(s->function)));
  }
  return out;
}

QString stateBadge(TaskState state)
{
  return QStringLiteral("<span class=\"state-%1\">■</span> %2")
      .arg(static_cast<int>(state))
      .arg(QString::fromLatin1(taskStateName(state)));
}

// What a suspended task waits for: "sleep until 2.500 s", "task db-query", "Queue jobs".
QString awaitText(const TimelineModel& m, AwaitKind kind, std::uint64_t object)
{
  const std::string label = object != 0 ? m.objectLabel(object) : std::string();
  switch (kind) {
    case AwaitKind::None:
      return {};
    case AwaitKind::Yield:
      return QStringLiteral("a yield (sleep(0))");
    case AwaitKind::Sleep:
      return QStringLiteral("sleep until ") + qs(formatTime(static_cast<std::int64_t>(object)));
    case AwaitKind::Task:
      return QStringLiteral("task ") + taskLink(m, static_cast<std::uint32_t>(object));
    case AwaitKind::Shield:
      return QStringLiteral("a shielded operation") +
             (label.empty() ? QString() : QStringLiteral(" (") + esc(label) + QStringLiteral(")"));
    default:
      break;
  }
  if (!label.empty()) {
    return esc(label);
  }
  QString out = QString::fromLatin1(engine::await_kind_name(kind).data(),
                                    static_cast<qsizetype>(engine::await_kind_name(kind).size()));
  if (object != 0) {
    out += QStringLiteral(" #%1").arg(object);
  }
  return out;
}

QString atSite(const TimelineModel& m, std::uint32_t site)
{
  const QString s = siteText(m, site);
  return s.isEmpty() ? QString() : QStringLiteral(" at ") + s;
}

// What the task does now, one clause.
QString nowText(const TimelineModel& m, const TaskInfo& t)
{
  switch (t.state) {
    case TaskState::Running:
      return QStringLiteral("running on the loop thread");
    case TaskState::Ready:
      return QStringLiteral("queued for the loop thread");
    case TaskState::Suspended:
      return QStringLiteral("suspended") + atSite(m, t.awaitSite) + QStringLiteral(", awaiting ") +
             awaitText(m, t.awaitKind, t.awaiting);
    case TaskState::Cancelling:
      if (t.awaitKind == AwaitKind::None) {
        return QStringLiteral("cancelling, queued to receive its CancelledError");
      }
      return QStringLiteral("cancelling, still suspended") + atSite(m, t.awaitSite) +
             QStringLiteral(", awaiting ") + awaitText(m, t.awaitKind, t.awaiting);
    default:
      return QStringLiteral("ended (") + QString::fromLatin1(taskStateName(t.state)) +
             QStringLiteral(")");
  }
}

QString sourceText(engine::CancelSource source)
{
  switch (source) {
    case engine::CancelSource::User:
      return QStringLiteral("cancel()");
    case engine::CancelSource::Timeout:
      return QStringLiteral("its timeout expired");
    case engine::CancelSource::Propagated:
      return QStringLiteral("propagated: what it belongs to was cancelled");
    case engine::CancelSource::Shutdown:
      return QStringLiteral("asyncio.run's shutdown");
    case engine::CancelSource::Signal:
      return QStringLiteral("a signal (SIGINT)");
  }
  return QStringLiteral("?");
}

QString outcomeName(engine::TimeoutOutcome outcome)
{
  switch (outcome) {
    case engine::TimeoutOutcome::NotExpired:
      return QStringLiteral("finished before the deadline");
    case engine::TimeoutOutcome::Converted:
      return QStringLiteral("expired: CancelledError converted to TimeoutError");
    case engine::TimeoutOutcome::ExpiredPropagated:
      return QStringLiteral("expired, but another cancel was pending: CancelledError propagated");
  }
  return QStringLiteral("?");
}

QString heading(const char* title)
{
  return QStringLiteral("<h4>%1</h4>").arg(QString::fromLatin1(title));
}

QString headerSection(const TimelineModel& m, const TaskInfo& t)
{
  QString h =
      QStringLiteral("<h3>%1 <span class=\"dim\">#%2</span></h3>").arg(esc(t.name)).arg(t.id);
  h += QStringLiteral("<p>State: <b>") + stateBadge(t.state) + QStringLiteral("</b>");
  if (t.cancelling > 0) {
    h += QStringLiteral(" (cancelling() = %1)").arg(t.cancelling);
  }
  h += QStringLiteral("<br/>Created at ") + qs(formatTime(t.created));
  if (const QString s = siteText(m, t.creationSite); !s.isEmpty()) {
    h += QStringLiteral(" at ") + s;
  }
  if (t.ended != kNever) {
    h += QStringLiteral("<br/>Ended at ") + qs(formatTime(t.ended)) + QStringLiteral(" after ") +
         qs(formatDuration(t.ended - t.created));
  }

  // Parent chain, root first: "main › supervisor › worker-2".
  std::vector<std::uint32_t> chain;
  for (std::uint32_t p = t.parent; p != 0 && static_cast<int>(chain.size()) < kMaxAncestors;) {
    chain.push_back(p);
    const TaskInfo* parent = m.task(p);
    p = parent != nullptr ? parent->parent : 0;
  }
  h += QStringLiteral("<br/>Parents: ");
  if (chain.empty()) {
    h += QStringLiteral("none (a root task)");
  } else {
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      h += taskLink(m, *it) + QStringLiteral(" › ");
    }
    h += QStringLiteral("<b>") + esc(t.name) + QStringLiteral("</b>");
  }
  if (!t.children.empty()) {
    h += QStringLiteral("<br/>Children (%1): ").arg(t.children.size());
    std::size_t shown = 0;
    for (const std::uint32_t child : t.children) {
      if (shown == static_cast<std::size_t>(kAwaitersShown)) {
        h += QStringLiteral(", … %1 more").arg(t.children.size() - shown);
        break;
      }
      h += (shown++ == 0 ? QString() : QStringLiteral(", ")) + taskLink(m, child);
    }
  }
  return h + QStringLiteral("</p>");
}

QString awaitSection(const TimelineModel& m, const TaskInfo& t)
{
  QString h = heading("Await chain");
  h += QStringLiteral("<p>");
  const std::vector<std::uint32_t> chain = m.awaitChain(t.id);
  for (std::size_t i = 0; i < chain.size(); ++i) {
    const TaskInfo* link = m.task(chain[i]);
    h += branch(static_cast<int>(i)) + taskLink(m, chain[i]) + QStringLiteral(" — ") +
         (link != nullptr ? nowText(m, *link) : QStringLiteral("not in this run")) +
         QStringLiteral("<br/>");
  }

  // Who awaits this task, and who awaits them: the call graph upwards.
  h += QStringLiteral("<br/>Awaited by:");
  std::unordered_set<std::uint32_t> seen{t.id};
  int shown = 0;
  int hidden = 0;
  QString lines;
  auto walk = [&](auto&& self, std::uint32_t id, int depth) -> void {
    for (const std::uint32_t awaiter : m.awaitedBy(id)) {
      if (!seen.insert(awaiter).second) {
        continue;
      }
      if (shown == kAwaitersShown) {
        ++hidden;
        continue;
      }
      ++shown;
      const TaskInfo* a = m.task(awaiter);
      lines += QStringLiteral("<br/>") + branch(depth + 1) + taskLink(m, awaiter);
      if (a != nullptr) {
        lines += QStringLiteral(" — awaits ") + esc(m.taskName(id)) + atSite(m, a->awaitSite);
      }
      self(self, awaiter, depth + 1);
    }
  };
  walk(walk, t.id, 0);
  if (shown == 0) {
    h += QStringLiteral(" no task");
  }
  h += lines;
  if (hidden > 0) {
    h += QStringLiteral("<br/>… %1 more").arg(hidden);
  }
  return h + QStringLiteral("</p>");
}

QString historySection(const TimelineModel& m, const TaskInfo& t, std::int64_t now)
{
  QString h = heading("State history");
  const std::size_t first = t.spans.size() > kHistorySpans ? t.spans.size() - kHistorySpans : 0;
  if (first > 0) {
    h += QStringLiteral("<p>%1 earlier spans not shown.</p>").arg(first);
  }
  h += QStringLiteral(
      "<table cellspacing=\"0\" cellpadding=\"4\"><tr><th align=\"left\">state</th>"
      "<th align=\"right\">start</th><th align=\"right\">duration</th>"
      "<th align=\"left\">at / awaiting</th></tr>");
  for (std::size_t i = first; i < t.spans.size(); ++i) {
    const StateSpan& s = t.spans[i];
    const bool open = s.end == kOpenEnd;
    const QString duration = open ? qs(formatDuration(std::max<std::int64_t>(0, now - s.start))) +
                                        QStringLiteral(" so far")
                                  : qs(formatDuration(s.end - s.start));
    QString what = siteText(m, s.site);
    if (s.await != AwaitKind::None) {
      const QString awaited = awaitText(m, s.await, s.object);
      what += (what.isEmpty() ? QString() : QStringLiteral(", ")) + awaited;
    }
    h += QStringLiteral(
             "<tr><td>%1</td><td align=\"right\">%2</td><td align=\"right\">%3</td>"
             "<td>%4</td></tr>")
             .arg(stateBadge(s.state), qs(formatTime(s.start)), duration, what);
  }
  return h + QStringLiteral("</table>");
}

// The CancelDelivered marker of a delivery at `t`, for how the error came in.
const Marker* deliveryMarker(const TimelineModel& m, const TaskInfo& t, std::int64_t at)
{
  const auto [first, last] = m.markersIn(t.id, at, at);
  for (std::size_t i = first; i < last; ++i) {
    if (t.markers[i].kind == MarkerKind::CancelDelivered) {
      return &t.markers[i];
    }
  }
  return nullptr;
}

QString cancelSection(const TimelineModel& m, const TaskInfo& t)
{
  QString h = heading("Cancellation");
  int count = 0;
  for (const CancelLink& c : m.cancels()) {
    if (c.target != t.id) {
      continue;
    }
    ++count;
    h += QStringLiteral("<p>Requested at ") + qs(formatTime(c.requested)) + QStringLiteral(" by ") +
         (c.requester == 0 ? QStringLiteral("code outside any task (toolbar, callback or signal)")
                           : taskLink(m, c.requester)) +
         QStringLiteral(" — ") + sourceText(c.source);
    if (c.message != 0) {
      h += QStringLiteral(", message “") + esc(m.text(c.message)) + QStringLiteral("”");
    }
    h += QStringLiteral("<br/>");
    if (c.delivered == kNever) {
      h += QStringLiteral(
          "Not delivered yet: CancelledError is thrown in at the task's current await or next "
          "step.");
    } else {
      h +=
          QStringLiteral("Delivered at ") + qs(formatTime(c.delivered)) + atSite(m, c.deliverySite);
      if (const Marker* d = deliveryMarker(m, t, c.delivered); d != nullptr && d->detail != 0) {
        if (static_cast<engine::CancelVia>(d->a8) == engine::CancelVia::Task) {
          h += QStringLiteral(", through awaited task ") +
               taskLink(m, static_cast<std::uint32_t>(d->detail));
        } else if (static_cast<engine::CancelVia>(d->a8) == engine::CancelVia::Future) {
          h += QStringLiteral(", through a cancelled future");
        }
      }
      h += QStringLiteral("<br/>");
      if (c.swallowed) {
        h += QStringLiteral(
            "<span class=\"warn\"><b>SWALLOWED</b>: the task caught "
            "CancelledError and did not re-raise it. Whoever cancelled it (a "
            "timeout, a TaskGroup, asyncio.run's shutdown) now waits for a task "
            "that keeps running: timeouts stop working and shutdown can hang.</span>");
      } else {
        h += QStringLiteral("re-raised");
        if (c.source == engine::CancelSource::Timeout) {
          h += QStringLiteral(" (timeout() turns it into TimeoutError on exit)");
        }
      }
    }
    h += QStringLiteral("</p>");
  }
  if (count == 0) {
    h += QStringLiteral("<p>Never cancelled.</p>");
  }
  return h;
}

QString timeoutSection(const TimelineModel& m, const TaskInfo& t, std::int64_t now)
{
  QString h;
  for (const TimeoutScope& s : m.timeouts()) {
    if (s.task != t.id) {
      continue;
    }
    h += QStringLiteral("<p>Scope #%1: armed at ").arg(s.scope) + qs(formatTime(s.armed));
    if (s.deadline == kNever) {
      h += QStringLiteral(", no deadline (timeout(None) never fires)");
    } else {
      h += QStringLiteral(", deadline ") + qs(formatTime(s.deadline)) + QStringLiteral(" (") +
           qs(formatDuration(s.deadline - s.armed)) + QStringLiteral(")");
    }
    h += QStringLiteral("<br/>");
    if (s.fired != kNever) {
      h += QStringLiteral("fired at ") + qs(formatTime(s.fired));
    } else if (s.disarmed == kNever && s.deadline != kNever && s.deadline > now) {
      h += QStringLiteral("fires in ") + qs(formatDuration(s.deadline - now));
    } else {
      h += QStringLiteral("did not fire");
    }
    if (s.disarmed != kNever) {
      h += QStringLiteral("; disarmed at ") + qs(formatTime(s.disarmed)) + QStringLiteral(": ") +
           outcomeName(s.outcome);
    } else {
      h += QStringLiteral("; still active");
    }
    h += QStringLiteral("</p>");
  }
  if (h.isEmpty()) {
    return {};
  }
  return heading("Timeouts") + h;
}

QString countersSection(const TimelineModel& m, const TaskInfo& t, std::int64_t now)
{
  const TaskTimes times = m.times(t.id, now);
  QString h = heading("Counters");
  h += QStringLiteral("<p>Steps: %1 · busy %2 · ready %3 · idle %4<br/>")
           .arg(t.steps)
           .arg(qs(formatDuration(times.busy)), qs(formatDuration(times.ready)),
                qs(formatDuration(times.idle)));
  h += QStringLiteral("Cancel requests: %1 · cancelling(): %2")
           .arg(t.cancelRequests)
           .arg(t.cancelling);
  if (t.swallowedCancel) {
    h += QStringLiteral(" · <span class=\"warn\">swallowed a cancellation</span>");
  }
  return h + QStringLiteral("</p>");
}

QString problemsSection(const TimelineModel& m, const TaskInfo& t)
{
  QString h;
  for (const Marker& marker : t.markers) {
    if (marker.kind != MarkerKind::Diagnostic) {
      continue;
    }
    const std::string_view kind =
        engine::diagnostic_kind_name(static_cast<engine::DiagnosticKind>(marker.a8));
    h += QStringLiteral("<p><span class=\"warn\">%1</span> at %2: %3</p>")
             .arg(esc(kind), qs(formatTime(marker.t)), esc(m.text(marker.text)));
  }
  return h.isEmpty() ? QString() : heading("Problems detected") + h;
}

QString exceptionHtml(std::string_view text)
{
  const std::vector<ExceptionLine> lines = exceptionTree(text);
  QString h = QStringLiteral("<p>");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    h += (i == 0 ? QString() : QStringLiteral("<br/>")) + branch(lines[i].depth) +
         esc(lines[i].text);
  }
  if (lines.size() == 1) {
    if (const int n = subExceptionCount(lines.front().text); n > 0) {
      h += QStringLiteral(
               "<br/><i>The trace holds only the group's message: its %1 sub-exception%2 "
               "are not in the event text.</i>")
               .arg(n)
               .arg(n == 1 ? "" : "s");
    }
  }
  return h + QStringLiteral("</p>");
}

QString outcomeSection(const TimelineModel& m, const TaskInfo& t)
{
  const std::string& text = m.outcomeText(t);
  if (!isTerminal(t.state)) {
    return {};
  }
  QString h = heading("Outcome");
  switch (t.state) {
    case TaskState::Done:
      h += text.empty() ? QStringLiteral("<p>Returned a result.</p>")
                        : QStringLiteral("<p>Returned: ") + esc(text) + QStringLiteral("</p>");
      break;
    case TaskState::Failed:
      h += QStringLiteral("<p>Raised:</p>") + exceptionHtml(text);
      break;
    case TaskState::Cancelled:
      h += text.empty() ? QStringLiteral("<p>Cancelled.</p>")
                        : QStringLiteral("<p>Cancelled: “") + esc(text) + QStringLiteral("”</p>");
      break;
    default:
      break;
  }
  return h;
}

QString taskHtml(const TimelineModel& m, const TaskInfo& t, std::int64_t now)
{
  return headerSection(m, t) + awaitSection(m, t) + outcomeSection(m, t) + cancelSection(m, t) +
         timeoutSection(m, t, now) + problemsSection(m, t) + countersSection(m, t, now) +
         historySection(m, t, now);
}

QString placeholder(const QString& text)
{
  return QStringLiteral("<p class=\"dim\">") + text.toHtmlEscaped() + QStringLiteral("</p>");
}

// Tree decorations that count as indentation.
std::size_t decorationLength(std::string_view s)
{
  static constexpr std::string_view kMultiByte[] = {"│", "├", "└", "─", "•"};
  for (const std::string_view d : kMultiByte) {
    if (s.substr(0, d.size()) == d) {
      return d.size();
    }
  }
  const char c = s.empty() ? 'x' : s.front();
  return (c == ' ' || c == '\t' || c == '|' || c == '+' || c == '-' || c == '*') ? 1 : 0;
}

}  // namespace

std::vector<ExceptionLine> exceptionTree(std::string_view text)
{
  std::vector<ExceptionLine> out;
  int baseColumn = -1;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    int column = 0;
    while (const std::size_t n = decorationLength(line)) {
      line.remove_prefix(n);
      ++column;
    }
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
      line.remove_suffix(1);
    }
    // Blank lines and separators such as Python's "+---------------- 1 ----------------".
    const bool separator = std::all_of(line.begin(), line.end(), [](char c) {
      return c == '-' || c == ' ' || std::isdigit(static_cast<unsigned char>(c));
    });
    if (separator) {
      continue;
    }
    if (baseColumn < 0) {
      baseColumn = column;
    }
    out.push_back({std::max(0, (column - baseColumn) / 2), std::string(line)});
  }
  return out;
}

int subExceptionCount(std::string_view line)
{
  if (line.find("ExceptionGroup") == std::string_view::npos) {
    return -1;
  }
  for (const std::string_view suffix :
       {std::string_view(" sub-exceptions)"), std::string_view(" sub-exception)")}) {
    if (line.size() <= suffix.size() || line.substr(line.size() - suffix.size()) != suffix) {
      continue;
    }
    const std::size_t open = line.rfind('(');
    if (open == std::string_view::npos) {
      return -1;
    }
    const std::string_view digits = line.substr(open + 1, line.size() - suffix.size() - open - 1);
    int n = -1;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    return ec == std::errc() && end == digits.data() + digits.size() ? n : -1;
  }
  return -1;
}

InspectorWidget::InspectorWidget(QWidget* parent)
    : QWidget(parent)
    , m_browser(new QTextBrowser(this))
    , m_pending(new QTimer(this))
{
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_browser);
  // Links are task ids, handled here; the browser must not try to load them.
  m_browser->setOpenLinks(false);
  m_browser->setOpenExternalLinks(false);
  connect(m_browser, &QTextBrowser::anchorClicked, this, &InspectorWidget::openLink);
  m_pending->setSingleShot(true);
  connect(m_pending, &QTimer::timeout, this, &InspectorWidget::render);
  m_browser->document()->setDefaultStyleSheet(themeStyleSheet(Theme::forPalette(palette())));
  render();
}

void InspectorWidget::changeEvent(QEvent* event)
{
  QWidget::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) {
    // The style sheet applies when the HTML is parsed: set it, then parse the page again.
    m_browser->document()->setDefaultStyleSheet(themeStyleSheet(Theme::forPalette(palette())));
    m_html.clear();
    render();
  }
}

InspectorWidget::~InspectorWidget() = default;

void InspectorWidget::setModel(const TimelineModel* model)
{
  m_model = model;
  // Until the first refresh(): the latest time the model knows.
  m_now = m_model != nullptr ? m_model->endTime() : 0;
  render();
}

void InspectorWidget::setTask(std::uint32_t id)
{
  m_task = id;
  render();
}

void InspectorWidget::refresh(std::int64_t nowNs)
{
  m_now = nowNs;
  if (m_model == nullptr || m_pending->isActive()) {
    return;
  }
  const bool sameTask = m_rendered && m_renderedTask == m_task;
  if (sameTask && m_renderedRevision == m_model->revision()) {
    if (m_renderedNow == nowNs) {
      return;
    }
    // Only time moved: what is shown of an ended (or absent) task does not depend on it.
    const TaskInfo* t = m_model->task(m_task);
    if (t == nullptr || isTerminal(t->state)) {
      return;
    }
  }
  if (sameTask && m_minInterval.count() > 0 && m_sinceRender.isValid()) {
    const auto elapsed = std::chrono::milliseconds(m_sinceRender.elapsed());
    if (elapsed < m_minInterval) {
      m_pending->start(m_minInterval - elapsed);
      return;
    }
  }
  render();
}

QString InspectorWidget::plainText() const
{
  return m_browser->toPlainText();
}

void InspectorWidget::setMinimumRenderInterval(std::chrono::milliseconds interval)
{
  m_minInterval = std::max(std::chrono::milliseconds(0), interval);
}

void InspectorWidget::openLink(const QUrl& url)
{
  const bool task = url.scheme() == QLatin1String("task");
  if (!task && url.scheme() != QLatin1String("site")) {
    return;
  }
  bool ok = false;
  const std::uint32_t id = url.path().toUInt(&ok);
  if (!ok || id == 0) {
    return;
  }
  if (task) {
    emit taskActivated(id);
  } else {
    emit siteActivated(id);
  }
}

void InspectorWidget::render()
{
  m_pending->stop();
  QString html;
  const TaskInfo* t = nullptr;
  if (m_task == 0) {
    html = placeholder(tr("Select a task in the timeline or the table."));
  } else if (m_model == nullptr) {
    html = placeholder(tr("No run loaded."));
  } else if (t = m_model->task(m_task); t == nullptr) {
    html = placeholder(tr("Task #%1 is not part of this run.").arg(m_task));
  } else {
    html = taskHtml(*m_model, *t, m_now);
  }

  const bool sameTask = m_rendered && m_renderedTask == m_task;
  m_rendered = true;
  m_renderedTask = m_task;
  m_renderedRevision = m_model != nullptr ? m_model->revision() : 0;
  m_renderedNow = m_now;
  m_sinceRender.start();
  ++m_renders;
  if (html == m_html) {
    return;
  }
  m_html = html;
  // A live task re-renders often: keep the reader's place.
  const int scroll = m_browser->verticalScrollBar()->value();
  m_browser->setHtml(html);
  if (sameTask) {
    m_browser->verticalScrollBar()->setValue(scroll);
  }
}

}  // namespace loopscope::views
