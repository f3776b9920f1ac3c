// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/timelinewidget.h"

// Engine and model headers before Qt's: Qt's `emit` keyword macro must not meet engine code.
#include <views/atomicfile.h>
#include <views/retention.h>
#include <views/timelinemodel.h>
#include <views/timelinestyle.h>

#include <QBuffer>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPageSize>
#include <QPdfWriter>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QToolTip>
#include <QWheelEvent>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>

namespace loopscope::views {

namespace {

using timeline::toNs;
using timeline::toSeconds;

constexpr double kInitialWindowSeconds = 10.0;
// The row height at the default font (9 pt at 96 dpi); a larger font makes rows taller (see
// rowHeightFor) and marks scale with them.
constexpr int kBaseRowHeight = 22;
constexpr double kBarFraction = 0.62;  // of the row height
// A step still open after this long is drawn as blocking the loop (asyncio's slow callback).
constexpr std::int64_t kSlowStepNs = 100'000'000;
constexpr int kMaxLabelChars = 30;
constexpr int kMarkerHitPx = 5;
// Spans merged into one pixel column before the rest of the column is skipped (see drawTaskRow).
constexpr int kSpansPerColumn = 8;

// Colours come from the Theme (views/timelinestyle.h), light or dark by the widget's palette.
// Blocked loop, slow steps, swallowed cancellations: Theme::warning with dark stripes, a hue no
// task state uses.

// Rows tall enough for the label font: the default font gives kBaseRowHeight.
int rowHeightFor(const QFont& font)
{
  return std::max(kBaseRowHeight, static_cast<int>(std::ceil(QFontMetricsF(font).height() * 1.5)));
}

QString qs(const std::string& s)
{
  return QString::fromStdString(s);
}

// The loop row colours a step by the task that holds the thread: a stable hue per task id.
QColor taskHue(std::uint32_t id, const Theme& theme)
{
  return QColor::fromHsv(static_cast<int>((id * 137U) % 360U), theme.taskHueSaturation,
                         theme.taskHueValue);
}

// Which state wins a pixel shared by several sub-pixel spans: the one a person must not miss.
int statePriority(TaskState s)
{
  switch (s) {
    case TaskState::Running:
      return 4;
    case TaskState::Cancelling:
      return 3;
    case TaskState::Ready:
      return 2;
    default:
      return 1;
  }
}

QString signalName(std::uint32_t sig)
{
  switch (sig) {
    case SIGINT:
      return QStringLiteral("SIGINT");
    case SIGTERM:
      return QStringLiteral("SIGTERM");
    case SIGHUP:
      return QStringLiteral("SIGHUP");
    case SIGUSR1:
      return QStringLiteral("SIGUSR1");
    case SIGUSR2:
      return QStringLiteral("SIGUSR2");
    default:
      return QStringLiteral("signal %1").arg(sig);
  }
}

QString siteText(const TimelineModel& m, std::uint32_t site, bool withFunction = true)
{
  const Site* s = m.site(site);
  if (s == nullptr) {
    return {};
  }
  QString text = qs(s->location());
  if (withFunction && !s->function.empty()) {
    text += QStringLiteral(" in ") + qs(s->function);
  }
  return text;
}

// "sleep until 3.000 s", "task worker-2", "Queue jobs", ...
QString awaitText(const TimelineModel& m, engine::AwaitKind kind, std::uint64_t object)
{
  using engine::AwaitKind;
  switch (kind) {
    case AwaitKind::None:
      return {};
    case AwaitKind::Yield:
      return QStringLiteral("sleep(0): yield");
    case AwaitKind::Sleep:
      return QStringLiteral("sleep until %1")
          .arg(qs(timeline::formatTime(static_cast<std::int64_t>(object))));
    case AwaitKind::Task:
      return QStringLiteral("task %1").arg(qs(m.taskName(static_cast<std::uint32_t>(object))));
    default:
      break;
  }
  const std::string label = m.objectLabel(object);
  if (!label.empty()) {
    return qs(label);
  }
  return QStringLiteral("%1 #%2").arg(qs(std::string(engine::await_kind_name(kind)))).arg(object);
}

// When the runner stops waiting for the remaining tasks: its Awaiting phase says.
std::int64_t graceDeadline(const TimelineModel& m)
{
  const auto& global = m.globalMarkers();
  for (auto it = global.rbegin(); it != global.rend(); ++it) {
    if (it->kind == GlobalMarker::Kind::ShutdownPhase &&
        it->phase == static_cast<std::uint8_t>(engine::ShutdownPhaseKind::Awaiting)) {
      return it->detail > 0 ? it->detail : kNever;
    }
  }
  return kNever;
}

// `unit`: the mark scale (1 at the default row height).
void drawArrowHead(QCPPainter* p, QPointF from, QPointF to, const QColor& colour, double unit = 1)
{
  const QLineF line(from, to);
  if (line.length() < 1) {
    return;
  }
  const double angle = std::atan2(to.y() - from.y(), to.x() - from.x());
  const double kSize = 7 * unit;
  const QPointF a = to - QPointF(std::cos(angle - 0.45) * kSize, std::sin(angle - 0.45) * kSize);
  const QPointF b = to - QPointF(std::cos(angle + 0.45) * kSize, std::sin(angle + 0.45) * kSize);
  p->setPen(Qt::NoPen);
  p->setBrush(colour);
  p->drawPolygon(QPolygonF{to, a, b});
}

void drawWarningTriangle(QCPPainter* p, QPointF tip, const Theme& theme, double unit = 1)
{
  const QPolygonF tri{tip, tip + QPointF(-5, 9) * unit, tip + QPointF(5, 9) * unit};
  p->setPen(QPen(theme.warningOutline, unit));
  p->setBrush(theme.warning);
  p->drawPolygon(tri);
  p->setPen(QPen(theme.warningOutline, 1.4 * unit));
  p->drawLine(tip + QPointF(0, 3) * unit, tip + QPointF(0, 6) * unit);
}

// Draws `text` just right of x, or just left of it when it would run past the right edge.
void drawLabelBeside(QCPPainter* p, double x, double baseline, const QString& text, double right)
{
  const double width = QFontMetricsF(p->font()).horizontalAdvance(text);
  const double left = x + 4 + width <= right ? x + 4 : x - 4 - width;
  p->drawText(QPointF(left, baseline), text);
}

// Draws `text` in the painter's font on a box of the background colour just right of x at `top`
// (left of x when it would run past the right edge), for labels that sit over the rows.
void drawBoxedLabel(QCPPainter* p, double x, double top, const QString& text, const QColor& colour,
                    double right, const Theme& theme)
{
  const QFontMetricsF fm(p->font());
  const double width = fm.horizontalAdvance(text) + 6;
  const QRectF box(x + 3 + width <= right ? x + 3 : x - 3 - width, top, width,
                   std::max(15.0, std::ceil(fm.height()) + 1));
  p->fillRect(box, theme.labelBox);
  p->setPen(colour);
  p->drawText(box, Qt::AlignCenter, text);
}

}  // namespace

// What the plottable needs from the widget at paint time.
struct TimelineWidget::Paint
{
  TimelineModel* model = nullptr;
  std::int64_t now = 0;
  std::uint32_t selected = 0;
  int firstRow = 0;
  int rowCapacity = 1;
  const Theme* theme = &Theme::lightTheme();
  int rowHeight = kBaseRowHeight;
  // Mark sizes (arrow heads, triangles, ticks) scale with the rows.
  double unit() const { return rowHeight / static_cast<double>(kBaseRowHeight); }
};

namespace {
constexpr int kIndentPx = 12;  // per tree level in the label column
constexpr int kMaxIndentLevels = 8;
constexpr int kLabelPadPx = 8;
constexpr int kMinLabelColumnPx = 90;
constexpr int kMaxLabelColumnPx = 280;
}  // namespace

// Draws the whole timeline from the model in one pass, culled to the visible window (binary
// searches in the model) and merging spans narrower than a pixel. QCustomPlot gives the axes,
// the pan/zoom interaction and the exports; one plottable instead of an item per bar keeps a
// million spans cheap.
class TimelineWidget::Plottable : public QCPAbstractPlottable
{
public:
  Plottable(QCPAxis* key, QCPAxis* value, const Paint& paint)
      : QCPAbstractPlottable(key, value)
      , m_paint(paint)
  {}

  double selectTest(const QPointF&, bool, QVariant*) const override { return -1; }
  // The row labels are drawn left of the axis rect, in its margin (the value axis shows no tick
  // labels): right-aligned axis labels cannot show a tree's indentation.
  QRect clipRect() const override
  {
    QRect r = QCPAbstractPlottable::clipRect();
    r.setLeft(keyAxis()->axisRect()->outerRect().left());
    return r;
  }
  QCPRange getKeyRange(bool& found, QCP::SignDomain) const override
  {
    found = m_paint.model != nullptr;
    if (!found) {
      return {};
    }
    return {toSeconds(m_paint.model->retainedFrom()),
            toSeconds(std::max(m_paint.model->endTime(), m_paint.now))};
  }
  QCPRange getValueRange(bool& found, QCP::SignDomain, const QCPRange&) const override
  {
    found = m_paint.model != nullptr;
    return {-0.5, found ? static_cast<double>(m_paint.model->rows().size()) + 0.5 : 0.5};
  }

protected:
  void draw(QCPPainter* p) override;
  void drawLegendIcon(QCPPainter*, const QRectF&) const override {}

private:
  struct Frame
  {
    const TimelineModel* m;
    QRect rect;
    std::int64_t t0, t1, now;
    double x(std::int64_t t) const;
    QCPAxis* key;
    QCPAxis* value;
    double yCenter(int row) const { return value->coordToPixel(row); }
  };
  // Visual row of a task (0 = loop row) or -1 when hidden.
  int visualRow(std::uint32_t id) const
  {
    const int r = m_paint.model->rowOf(id);
    return r < 0 ? -1 : r + 1;
  }
  void drawPhases(QCPPainter* p, const Frame& f) const;
  void drawLoopRow(QCPPainter* p, const Frame& f) const;
  void drawTaskRow(QCPPainter* p, const Frame& f, int row, const TaskInfo& task) const;
  void drawTimeouts(QCPPainter* p, const Frame& f) const;
  void drawCancels(QCPPainter* p, const Frame& f) const;
  void drawGlobal(QCPPainter* p, const Frame& f) const;
  void drawLabels(QCPPainter* p, const Frame& f, int lastRow) const;

  const Paint& m_paint;
};

double TimelineWidget::Plottable::Frame::x(std::int64_t t) const
{
  return key->coordToPixel(toSeconds(t));
}

void TimelineWidget::Plottable::draw(QCPPainter* p)
{
  const TimelineModel* m = m_paint.model;
  if (m == nullptr) {
    return;
  }
  QCPAxis* key = keyAxis();
  QCPAxis* value = valueAxis();
  const Frame f{m,
                key->axisRect()->rect(),
                toNs(key->range().lower),
                toNs(key->range().upper),
                m_paint.now,
                key,
                value};
  p->setRenderHint(QPainter::Antialiasing, false);

  // Row stripes and the selection, under everything and across the label column.
  const int rowCount = static_cast<int>(m->rows().size()) + 1;
  const int lastRow = std::min(rowCount, m_paint.firstRow + m_paint.rowCapacity + 1);
  const QRect all = clipRect();
  const Theme& theme = *m_paint.theme;
  const double rowHeight = m_paint.rowHeight;
  for (int row = m_paint.firstRow; row < lastRow; ++row) {
    const double yc = f.yCenter(row);
    const QRectF band(all.left(), yc - rowHeight / 2.0, all.width(), rowHeight);
    const bool selected =
        row > 0 && m->rows()[static_cast<std::size_t>(row - 1)] == m_paint.selected;
    if (selected) {
      p->fillRect(band, theme.rowSelected);
    } else if (row % 2 == 1) {
      p->fillRect(band, theme.rowStripe);
    }
  }
  drawLabels(p, f, lastRow);
  p->save();
  p->setClipRect(f.rect, Qt::IntersectClip);
  drawPhases(p, f);
  if (m_paint.firstRow == 0) {
    drawLoopRow(p, f);
  }
  for (int row = std::max(1, m_paint.firstRow); row < lastRow; ++row) {
    const TaskInfo* task = m->task(m->rows()[static_cast<std::size_t>(row - 1)]);
    if (task != nullptr) {
      drawTaskRow(p, f, row, *task);
    }
  }
  p->setRenderHint(QPainter::Antialiasing, true);
  drawTimeouts(p, f);
  drawCancels(p, f);
  drawGlobal(p, f);
  p->restore();
}

void TimelineWidget::Plottable::drawLabels(QCPPainter* p, const Frame& f, int lastRow) const
{
  const QRect column(clipRect().left() + kLabelPadPx, f.rect.top(),
                     f.rect.left() - clipRect().left() - 2 * kLabelPadPx, f.rect.height());
  if (column.width() <= 0) {
    return;
  }
  p->save();
  p->setClipRect(column.adjusted(0, 0, kLabelPadPx, 0), Qt::IntersectClip);
  const QFont saved = p->font();
  const QFont base = parentPlot()->font();
  const QFontMetricsF fm(base);
  const Theme& theme = *m_paint.theme;
  const double unit = m_paint.unit();
  for (int row = m_paint.firstRow; row < lastRow; ++row) {
    const double yc = f.yCenter(row);
    const double baseline = yc + (fm.ascent() - fm.descent()) / 2;
    QFont font = base;
    if (row == 0) {
      font.setItalic(true);
      p->setFont(font);
      p->setPen(theme.text);
      p->drawText(QPointF(column.left(), baseline), TimelineWidget::tr("loop thread"));
      continue;
    }
    const TaskInfo* t = f.m->task(f.m->rows()[static_cast<std::size_t>(row - 1)]);
    if (t == nullptr) {
      continue;
    }
    double x = column.left() + kIndentPx * std::min<double>(t->depth, kMaxIndentLevels);
    if (!t->children.empty()) {
      // An open (down) or closed (right) triangle: a click on the name toggles the group.
      const bool collapsed = f.m->isCollapsed(t->id);
      const QPointF c(x + 4 * unit, yc);
      const QPolygonF tri =
          collapsed ? QPolygonF{c + QPointF(-2.5, -4) * unit, c + QPointF(-2.5, 4) * unit,
                                c + QPointF(2.5, 0) * unit}
                    : QPolygonF{c + QPointF(-4, -2.5) * unit, c + QPointF(4, -2.5) * unit,
                                c + QPointF(0, 2.5) * unit};
      p->setRenderHint(QPainter::Antialiasing, true);
      p->setPen(Qt::NoPen);
      p->setBrush(theme.groupMarker);
      p->drawPolygon(tri);
      p->setRenderHint(QPainter::Antialiasing, false);
    }
    x += 12 * unit;
    QString text = qs(t->name);
    if (f.m->isCollapsed(t->id)) {
      text += QStringLiteral(" (+%1)").arg(f.m->descendantCount(t->id));
    }
    font.setBold(t->id == m_paint.selected);
    p->setFont(font);
    p->setPen(t->state == TaskState::Done || t->state == TaskState::Cancelled ? theme.textDim
                                                                              : theme.text);
    const QString shown = QFontMetricsF(font).elidedText(text, Qt::ElideMiddle,
                                                         column.left() + column.width() - x + 1);
    p->drawText(QPointF(x, baseline), shown);
  }
  p->setFont(saved);
  p->restore();
}

void TimelineWidget::Plottable::drawPhases(QCPPainter* p, const Frame& f) const
{
  // Before the oldest event kept, retention dropped the history: hatched, and said so.
  if (const std::int64_t kept = f.m->retainedFrom(); kept > f.m->startTime() && kept > f.t0) {
    const double x0 = std::max<double>(f.x(std::max(f.t0, f.m->startTime())), f.rect.left());
    const double x1 = std::min<double>(f.x(kept), f.rect.right());
    if (x1 > x0) {
      const QRectF dropped(x0, f.rect.top(), x1 - x0, f.rect.height());
      QColor hatch = m_paint.theme->textDim;
      hatch.setAlpha(70);
      p->fillRect(dropped, QBrush(hatch, Qt::BDiagPattern));
      p->setPen(m_paint.theme->textDim);
      drawLabelBeside(
          p, x0 + 4 * m_paint.unit(),
          f.rect.top() + QFontMetricsF(p->font()).ascent() + 4 * m_paint.unit(),
          f.m->retention().active()
              ? QCoreApplication::translate("TimelineWidget", "history dropped (keeping the %1)")
                    .arg(QString::fromStdString(describeRetention(f.m->retention())))
              : QCoreApplication::translate("TimelineWidget", "history dropped"),
          f.rect.right());
    }
  }
  const auto& global = f.m->globalMarkers();
  std::vector<const GlobalMarker*> phases;
  for (const GlobalMarker& g : global) {
    if (g.kind == GlobalMarker::Kind::ShutdownPhase) {
      phases.push_back(&g);
    }
  }
  QFont font = p->font();
  font.setPointSizeF(font.pointSizeF() * 0.85);
  p->setFont(font);
  for (std::size_t i = 0; i < phases.size(); ++i) {
    const GlobalMarker& g = *phases[i];
    const auto kind = static_cast<engine::ShutdownPhaseKind>(g.phase);
    if (kind == engine::ShutdownPhaseKind::Closed) {
      continue;
    }
    const std::int64_t end = i + 1 < phases.size() ? phases[i + 1]->t : std::max(f.now, g.t);
    if (end < f.t0 || g.t > f.t1) {
      continue;
    }
    const double x0 = std::max<double>(f.x(g.t), f.rect.left());
    const double x1 = std::min<double>(f.x(end), f.rect.right());
    const QRectF band(x0, f.rect.top(), std::max(1.0, x1 - x0), f.rect.height());
    p->fillRect(band, m_paint.theme->phaseBands[i % 2]);
    p->setPen(m_paint.theme->phaseText);
    const double lineHeight = std::max(12.0, QFontMetricsF(font).height());
    drawLabelBeside(p, f.x(g.t), f.rect.bottom() - 4 - lineHeight * static_cast<double>(i % 3),
                    QString::fromUtf8(engine::shutdown_phase_name(kind).data()) +
                        (g.arg != 0 && kind != engine::ShutdownPhaseKind::SignalReceived
                             ? QStringLiteral(" (%1)").arg(g.arg)
                             : QString()),
                    f.rect.right());
  }
  const std::int64_t grace = graceDeadline(*f.m);
  if (grace != kNever && grace >= f.t0 && grace <= f.t1) {
    const double x = f.x(grace);
    p->setPen(QPen(m_paint.theme->grace, 2 * m_paint.unit(), Qt::DashLine));
    p->drawLine(QPointF(x, f.rect.top()), QPointF(x, f.rect.bottom()));
  }
}

void TimelineWidget::Plottable::drawLoopRow(QCPPainter* p, const Frame& f) const
{
  const double yc = f.yCenter(0);
  const double h = m_paint.rowHeight * kBarFraction;
  const Theme& theme = *m_paint.theme;
  const auto [first, last] = f.m->loopSpansIn(f.t0, f.t1);
  const auto& spans = f.m->loopSpans();
  int pendingCol = INT32_MIN;
  int sameColumn = 0;
  QColor pendingColour;
  auto flush = [&] {
    if (pendingCol != INT32_MIN) {
      p->fillRect(QRectF(pendingCol, yc - h / 2, 1, h), pendingColour);
      pendingCol = INT32_MIN;
    }
  };
  for (std::size_t i = first; i < last; ++i) {
    const LoopSpan& s = spans[i];
    const std::int64_t end = s.end == kOpenEnd ? std::max(f.now, s.start) : s.end;
    const double x0 = std::max<double>(f.x(s.start), f.rect.left());
    const double x1 = std::min<double>(f.x(end), f.rect.right() + 1);
    QColor colour;
    double height = h;
    switch (s.kind) {
      case LoopSpan::Kind::Idle:
        colour = theme.idle;
        height = 3 * m_paint.unit();
        break;
      case LoopSpan::Kind::Callback:
        colour = theme.callback;
        break;
      case LoopSpan::Kind::Step:
        colour = taskHue(s.task, theme);
        break;
    }
    const bool slow = s.slow || (s.kind != LoopSpan::Kind::Idle && s.end == kOpenEnd &&
                                 f.now - s.start >= kSlowStepNs);
    if (slow) {
      colour = theme.warning;
    }
    if (x1 - x0 >= 1.0) {
      flush();
      p->fillRect(QRectF(x0, yc - height / 2, x1 - x0, height), colour);
      if (slow) {
        p->fillRect(QRectF(x0, yc - height / 2, x1 - x0, height),
                    QBrush(theme.warningStripe, Qt::BDiagPattern));
      }
      continue;
    }
    const int col = static_cast<int>(std::floor(x0));
    if (s.kind == LoopSpan::Kind::Idle) {
      continue;  // sub-pixel idle gaps never hide work
    }
    if (col != pendingCol) {
      flush();
      pendingCol = col;
      pendingColour = colour;
      sameColumn = 0;
    } else if (slow) {
      pendingColour = colour;
    }
    // Level of detail, as for task rows: skip the rest of a crowded column.
    if (++sameColumn >= kSpansPerColumn) {
      const std::int64_t next = toNs(f.key->pixelToCoord(col + 1));
      const auto it =
          std::upper_bound(spans.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                           spans.begin() + static_cast<std::ptrdiff_t>(last), next,
                           [](std::int64_t t, const LoopSpan& l) { return t < l.start; });
      const auto j = static_cast<std::size_t>(it - spans.begin());
      if (j > i + 1) {
        i = j - 2;  // the last span starting before the next column, after ++i
      }
      sameColumn = 0;
    }
  }
  flush();
}

void TimelineWidget::Plottable::drawTaskRow(QCPPainter* p, const Frame& f, int row,
                                            const TaskInfo& task) const
{
  const double yc = f.yCenter(row);
  const double h = m_paint.rowHeight * kBarFraction;
  const double top = yc - h / 2;
  const Theme& theme = *m_paint.theme;
  const double unit = m_paint.unit();
  const auto [first, last] = f.m->spansIn(task.id, f.t0, f.t1);
  int pendingCol = INT32_MIN;
  TaskState pendingState = TaskState::Suspended;
  auto fill = [&](double x0, double width, TaskState state) {
    const QRectF r(x0, top, width, h);
    p->fillRect(r, theme.state(state));
    if (state == TaskState::Cancelling) {
      p->fillRect(r, QBrush(theme.state(TaskState::Cancelling).darker(160), Qt::BDiagPattern));
    }
  };
  auto flush = [&] {
    if (pendingCol != INT32_MIN) {
      fill(pendingCol, 1, pendingState);
      pendingCol = INT32_MIN;
    }
  };
  // Await ticks (where a step ended at an await: a waiting span right after a Running one), at
  // most one per 3 pixels.
  double lastTickX = -1e9;
  bool afterRunning = first == 0 || task.spans[first - 1].state == TaskState::Running;
  std::vector<double> ticks;
  int sameColumn = 0;
  for (std::size_t i = first; i < last; ++i) {
    const StateSpan s = task.spans[i];
    const bool tick = startsAwait(s, afterRunning) && s.start >= f.t0;
    afterRunning = s.state == TaskState::Running;
    if (tick && f.x(s.start) - lastTickX >= 3) {
      lastTickX = f.x(s.start);
      ticks.push_back(lastTickX);
    }
    const std::int64_t end = s.end == kOpenEnd ? std::max(f.now, s.start) : s.end;
    const double x0 = std::max<double>(f.x(s.start), f.rect.left());
    const double x1 = std::min<double>(f.x(end), f.rect.right() + 1);
    if (x1 - x0 >= 1.0) {
      flush();
      fill(x0, x1 - x0, s.state);
      sameColumn = 0;
      continue;
    }
    const int col = static_cast<int>(std::floor(x0));
    if (col != pendingCol) {
      flush();
      pendingCol = col;
      pendingState = s.state;
      sameColumn = 0;
    } else if (statePriority(s.state) > statePriority(pendingState)) {
      pendingState = s.state;
    }
    // Level of detail: a column holding many spans shows the most urgent of its first few; the
    // rest are skipped by a binary search to the next column, so a dense row costs per pixel,
    // not per span.
    if (++sameColumn >= kSpansPerColumn) {
      const std::size_t next = task.spans.indexAt(toNs(f.key->pixelToCoord(col + 1)));
      if (next != SIZE_MAX && next > i + 1) {
        i = next - 1;
        afterRunning = false;
      }
      sameColumn = 0;
    }
  }
  flush();
  if (!ticks.empty()) {
    p->setPen(QPen(theme.awaitTick, unit));
    for (const double x : ticks) {
      p->drawLine(QPointF(x, top - 2 * unit), QPointF(x, top + 4 * unit));
    }
  }

  // Live: a sleep whose deadline has passed while the loop is busy elsewhere is due but cannot
  // run -- ready, as the model will record once the loop wakes it (see TimelineModel).
  if (!task.spans.empty() && task.spans.back().end == kOpenEnd) {
    const StateSpan& open = task.spans.back();
    const auto deadline = static_cast<std::int64_t>(open.object);
    if (open.state == TaskState::Suspended && open.await == engine::AwaitKind::Sleep &&
        deadline > open.start && deadline < f.now) {
      const double x0 = std::max<double>(f.x(deadline), f.rect.left());
      const double x1 = std::min<double>(f.x(f.now), f.rect.right() + 1);
      if (x1 > x0) {
        fill(x0, std::max(1.0, x1 - x0), TaskState::Ready);
      }
    }
  }

  // The end: a cap in the outcome's colour.
  if (task.ended != kNever && task.ended >= f.t0 && task.ended <= f.t1) {
    const double x = f.x(task.ended);
    p->fillRect(QRectF(x, top - 2 * unit, 4 * unit, h + 4 * unit), theme.state(task.state));
  }

  // Work offloaded to executor threads: a strip under the bar.
  for (const ExecutorJobSpan& job : f.m->executorJobs()) {
    if (job.task != task.id) {
      continue;
    }
    const std::int64_t end = job.end == kOpenEnd ? f.now : job.end;
    if (end < f.t0 || job.start > f.t1) {
      continue;
    }
    const double x0 = std::max<double>(f.x(job.start), f.rect.left());
    const double x1 = std::min<double>(f.x(end), f.rect.right());
    p->fillRect(QRectF(x0, top + h + unit, std::max(1.0, x1 - x0), 3 * unit), theme.executor);
  }

  // Markers (await ticks are drawn above, from the spans).
  const auto [mFirst, mLast] = f.m->markersIn(task.id, f.t0, f.t1);
  for (std::size_t i = mFirst; i < mLast; ++i) {
    const Marker& mk = task.markers[i];
    const double x = f.x(mk.t);
    switch (mk.kind) {
      case MarkerKind::Await:
        break;
      case MarkerKind::CancelRequested:
        p->setPen(Qt::NoPen);
        p->setBrush(theme.cancel);
        p->drawPolygon(QPolygonF{QPointF(x - 4 * unit, top - 6 * unit),
                                 QPointF(x + 4 * unit, top - 6 * unit), QPointF(x, top)});
        break;
      case MarkerKind::CancelDelivered:
        p->setPen(QPen(theme.cancel, 2 * unit));
        p->drawLine(QPointF(x, top - unit), QPointF(x, top + h + unit));
        break;
      case MarkerKind::CancelSwallowed:
      case MarkerKind::Diagnostic:
        drawWarningTriangle(p, QPointF(x, top - 3 * unit), theme, unit);
        break;
      case MarkerKind::TimeoutFired: {
        const double d = 4 * unit;
        p->setPen(QPen(theme.timeoutFired, 2 * unit));
        p->drawLine(QPointF(x - d, yc - d), QPointF(x + d, yc + d));
        p->drawLine(QPointF(x - d, yc + d), QPointF(x + d, yc - d));
        break;
      }
      case MarkerKind::SlowStep: {
        const double x1 = f.x(mk.t + static_cast<std::int64_t>(mk.detail));
        const QRectF r(x, top + h - 2 * unit, std::max(1.0, x1 - x), 4 * unit);
        p->fillRect(r, theme.warning);
        p->fillRect(r, QBrush(theme.warningStripe, Qt::BDiagPattern));
        break;
      }
      case MarkerKind::Uncancel:
        p->setPen(QPen(theme.uncancel, 2 * unit));
        p->drawLine(QPointF(x, top + h), QPointF(x, top - 2 * unit));
        break;
      case MarkerKind::Print:
      case MarkerKind::ExecutorJob:
      case MarkerKind::Count_:
        break;
    }
  }
}

void TimelineWidget::Plottable::drawTimeouts(QCPPainter* p, const Frame& f) const
{
  for (const TimeoutScope& s : f.m->timeouts()) {
    const int row = visualRow(s.task);
    if (row < m_paint.firstRow || row > m_paint.firstRow + m_paint.rowCapacity) {
      continue;
    }
    std::int64_t end = s.fired != kNever      ? s.fired
                       : s.disarmed != kNever ? s.disarmed
                       : s.deadline != kNever ? s.deadline
                                              : f.now;
    if (s.deadline != kNever) {
      end = std::max(end, std::min(s.deadline, s.disarmed != kNever ? s.disarmed : s.deadline));
    }
    const std::int64_t shownEnd = s.deadline != kNever ? s.deadline : end;
    if (shownEnd < f.t0 || s.armed > f.t1) {
      continue;
    }
    const Theme& theme = *m_paint.theme;
    const double unit = m_paint.unit();
    const double y = f.yCenter(row) - m_paint.rowHeight / 2.0 + 2 * unit;
    const double x0 = f.x(s.armed);
    const double xEnd = f.x(end);
    const double xDeadline = s.deadline != kNever ? f.x(s.deadline) : xEnd;
    p->setPen(QPen(theme.timeout, 1.5 * unit));
    p->drawLine(QPointF(x0, y), QPointF(xEnd, y));
    p->drawLine(QPointF(x0, y), QPointF(x0, y + 5 * unit));
    if (s.deadline != kNever) {
      if (xDeadline > xEnd + 1) {
        // Disarmed before its deadline: the rest of the bracket is what it did not need (paler:
        // towards the background).
        const QColor unused = theme.dark ? theme.timeout.darker(150) : theme.timeout.lighter(150);
        p->setPen(QPen(unused, unit, Qt::DotLine));
        p->drawLine(QPointF(xEnd, y), QPointF(xDeadline, y));
      }
      p->setPen(QPen(s.fired != kNever ? theme.timeoutFired : theme.timeout, 1.5 * unit));
      p->drawLine(QPointF(xDeadline, y), QPointF(xDeadline, y + 5 * unit));
    }
  }
}

void TimelineWidget::Plottable::drawCancels(QCPPainter* p, const Frame& f) const
{
  const QColor cancel = m_paint.theme->cancel;
  const double unit = m_paint.unit();
  const double rowHeight = m_paint.rowHeight;
  std::unordered_set<int> stubColumns;
  for (const CancelLink& c : f.m->cancels()) {
    const std::int64_t to = c.delivered != kNever ? c.delivered : f.now;
    if (to < f.t0 || c.requested > f.t1) {
      continue;
    }
    const int targetRow = visualRow(c.target);
    if (targetRow < 0) {
      continue;
    }
    int fromRow = c.requester != 0 ? visualRow(c.requester) : 0;
    if (fromRow < 0) {
      fromRow = 0;
    }
    // Only links with an end in view: one between two rows scrolled out of view would be a curve
    // tens of thousands of pixels tall, costly to rasterise and telling nothing here.
    const int lastVisible = m_paint.firstRow + m_paint.rowCapacity;
    const auto inView = [&](int row) {
      return row >= m_paint.firstRow && row <= lastVisible;
    };
    if (!inView(targetRow) && !inView(fromRow)) {
      continue;
    }
    if (!inView(targetRow) || !inView(fromRow)) {
      // One end out of view: a stub at the end in view pointing towards the other row, one per
      // pixel column and direction (a zoomed-out run has thousands of such links).
      const bool fromVisible = inView(fromRow);
      const std::int64_t tVisible = fromVisible ? c.requested : to;
      const double x = f.x(tVisible);
      const int away = fromVisible ? targetRow : fromRow;
      const bool down = away > lastVisible;
      const int column = static_cast<int>(std::floor(x)) * 2 + (down ? 1 : 0);
      if (!stubColumns.insert(column).second) {
        continue;
      }
      const double y = f.yCenter(fromVisible ? fromRow : targetRow);
      const double tip = y + (down ? 1 : -1) * rowHeight * 0.8;
      p->setPen(QPen(cancel, 1.6 * unit, c.delivered != kNever ? Qt::SolidLine : Qt::DashLine));
      p->drawLine(QPointF(x, y), QPointF(x, tip));
      if (!fromVisible && c.delivered != kNever) {
        drawArrowHead(p, QPointF(x, tip), QPointF(x, y), cancel, unit);  // coming in from afar
      }
      if (fromVisible) {
        p->setPen(Qt::NoPen);
        p->setBrush(cancel);
        p->drawEllipse(QPointF(x, y), 2.5 * unit, 2.5 * unit);
      }
      continue;
    }
    const auto yOf = [&](int row) {
      return f.yCenter(row);
    };
    const double yFrom = yOf(fromRow);
    const double yTo = yOf(targetRow) + (fromRow < targetRow ? -rowHeight * 0.3 : rowHeight * 0.3);
    const QPointF a(f.x(c.requested), yFrom);
    const QPointF b(f.x(to), yTo);
    p->setPen(QPen(cancel, 1.6 * unit, c.delivered != kNever ? Qt::SolidLine : Qt::DashLine));
    p->setBrush(Qt::NoBrush);
    QPainterPath path(a);
    const double dx = std::max(12.0, (b.x() - a.x()) * 0.5);
    path.cubicTo(a + QPointF(dx, 0), b - QPointF(dx, 0), b);
    p->drawPath(path);
    if (c.delivered != kNever) {
      drawArrowHead(p, b - QPointF(dx * 0.2, 0), b, cancel, unit);
    }
    p->setPen(Qt::NoPen);
    p->setBrush(cancel);
    p->drawEllipse(a, 2.5 * unit, 2.5 * unit);
  }
}

void TimelineWidget::Plottable::drawGlobal(QCPPainter* p, const Frame& f) const
{
  const Theme& theme = *m_paint.theme;
  const double unit = m_paint.unit();
  // Label rows over the plot, a line of the label font apart.
  const double labelStep = std::max(18.0, std::ceil(QFontMetricsF(p->font()).height()) + 4);
  for (const GlobalMarker& g : f.m->globalMarkers()) {
    if (g.kind != GlobalMarker::Kind::Signal || g.t < f.t0 || g.t > f.t1) {
      continue;
    }
    const double x = f.x(g.t);
    p->setPen(QPen(theme.signal, 2 * unit));
    p->drawLine(QPointF(x, f.rect.top()), QPointF(x, f.rect.bottom()));
    const QString label = signalName(g.arg);
    QFont font = p->font();
    font.setBold(true);
    p->setFont(font);
    drawBoxedLabel(p, x, f.rect.top() + labelStep - 2, label, theme.signal, f.rect.right(), theme);
  }
  // The grace deadline's name, over the rows (its line is drawn under them), below a signal's.
  const std::int64_t grace = graceDeadline(*f.m);
  if (grace != kNever && grace >= f.t0 && grace <= f.t1) {
    const double x = f.x(grace);
    drawBoxedLabel(p, x, f.rect.top() + 2 * labelStep - 2, TimelineWidget::tr("grace deadline"),
                   theme.grace, f.rect.right(), theme);
  }
  if (f.now >= f.t0 && f.now <= f.t1) {
    const double x = f.x(f.now);
    p->setPen(QPen(theme.now, 1.5 * unit));
    p->drawLine(QPointF(x, f.rect.top()), QPointF(x, f.rect.bottom()));
  }
}

// A legend row above the plot: state swatches and marker glyphs. Part of the plot's layout, so
// exports include it.
class TimelineWidget::Legend : public QCPLayoutElement
{
public:
  Legend(QCustomPlot* plot, const Paint& paint) : QCPLayoutElement(plot), m_paint(paint)
  {
    using G = std::function<void(QCPPainter*, double, double, const Theme&)>;
    for (int s = 0; s < static_cast<int>(TaskState::Count_); ++s) {
      const auto state = static_cast<TaskState>(s);
      m_items.push_back({18, QString::fromLatin1(taskStateName(state)),
                         G([state](QCPPainter* p, double x, double yc, const Theme& t) {
                           const QRectF sw(x, yc - 5, 14, 10);
                           p->fillRect(sw, t.state(state));
                           if (state == TaskState::Cancelling) {
                             p->fillRect(sw, QBrush(t.state(state).darker(160), Qt::BDiagPattern));
                           }
                         })});
    }
    m_items.push_back({18, TimelineWidget::tr("blocked loop / slow step"),
                       G([](QCPPainter* p, double x, double yc, const Theme& t) {
                         const QRectF sw(x, yc - 5, 14, 10);
                         p->fillRect(sw, t.warning);
                         p->fillRect(sw, QBrush(t.warningStripe, Qt::BDiagPattern));
                       })});
    m_items.push_back(
        {5, TimelineWidget::tr("await"), G([](QCPPainter* p, double x, double yc, const Theme& t) {
           p->setPen(QPen(t.awaitTick, 1));
           p->drawLine(QPointF(x, yc - 5), QPointF(x, yc + 2));
         })});
    m_items.push_back({20, TimelineWidget::tr("timeout"),
                       G([](QCPPainter* p, double x, double yc, const Theme& t) {
                         p->setPen(QPen(t.timeout, 1.5));
                         p->drawLine(QPointF(x, yc - 4), QPointF(x + 16, yc - 4));
                         p->drawLine(QPointF(x, yc - 4), QPointF(x, yc + 1));
                         p->drawLine(QPointF(x + 16, yc - 4), QPointF(x + 16, yc + 1));
                       })});
    m_items.push_back({12, TimelineWidget::tr("timeout fired"),
                       G([](QCPPainter* p, double x, double yc, const Theme& t) {
                         p->setPen(QPen(t.timeoutFired, 2));
                         p->drawLine(QPointF(x, yc - 4), QPointF(x + 8, yc + 4));
                         p->drawLine(QPointF(x, yc + 4), QPointF(x + 8, yc - 4));
                       })});
    m_items.push_back({22, TimelineWidget::tr("cancel → CancelledError"),
                       G([](QCPPainter* p, double x, double yc, const Theme& t) {
                         p->setPen(QPen(t.cancel, 1.6));
                         p->drawLine(QPointF(x, yc), QPointF(x + 16, yc));
                         drawArrowHead(p, QPointF(x, yc), QPointF(x + 18, yc), t.cancel);
                       })});
    m_items.push_back({14, TimelineWidget::tr("swallowed cancel / diagnostic"),
                       G([](QCPPainter* p, double x, double yc, const Theme& t) {
                         drawWarningTriangle(p, QPointF(x + 5, yc - 5), t);
                       })});
    m_items.push_back(
        {6, TimelineWidget::tr("signal"), G([](QCPPainter* p, double x, double yc, const Theme& t) {
           p->setPen(QPen(t.signal, 2));
           p->drawLine(QPointF(x, yc - 7), QPointF(x, yc + 7));
         })});
    m_items.push_back({6, TimelineWidget::tr("grace deadline"),
                       G([](QCPPainter* p, double x, double yc, const Theme& t) {
                         p->setPen(QPen(t.grace, 2, Qt::DashLine));
                         p->drawLine(QPointF(x, yc - 7), QPointF(x, yc + 7));
                       })});
    m_items.push_back({18, TimelineWidget::tr("shutdown phase"),
                       G([](QCPPainter* p, double x, double yc, const Theme& t) {
                         p->fillRect(QRectF(x, yc - 6, 14, 12), t.phaseBands[0]);
                       })});
  }

  // As many rows as the items need at the plot's width (the legend spans the whole plot).
  QSize minimumOuterSizeHint() const override
  {
    const int rows = layoutItems(parentPlot()->viewport().width(), nullptr);
    return {0, rows * rowPx() + 4};
  }
  QSize maximumOuterSizeHint() const override
  {
    return {QWIDGETSIZE_MAX, minimumOuterSizeHint().height()};
  }

protected:
  void draw(QCPPainter* p) override
  {
    const QRect r = rect();
    const QFont font = legendFont();
    p->setFont(font);
    const QFontMetricsF fm(font);
    const int rowPx = this->rowPx();
    std::vector<QPointF> at;
    layoutItems(r.width(), &at);
    p->setRenderHint(QPainter::Antialiasing, true);
    for (std::size_t i = 0; i < m_items.size(); ++i) {
      const double x = r.left() + at[i].x();
      const double yc = r.top() + 2 + at[i].y() * rowPx + rowPx / 2.0;
      m_items[i].glyph(p, x, yc, *m_paint.theme);
      p->setPen(m_paint.theme->text);
      p->drawText(QPointF(x + m_items[i].glyphWidth, yc + fm.ascent() / 2 - 1), m_items[i].text);
    }
  }

private:
  struct Item
  {
    double glyphWidth;
    QString text;
    std::function<void(QCPPainter*, double, double, const Theme&)> glyph;
  };

  QFont legendFont() const
  {
    QFont font = parentPlot()->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    return font;
  }
  // 18 px at the default font; taller for a larger one.
  int rowPx() const
  {
    return std::max(18, static_cast<int>(std::ceil(QFontMetricsF(legendFont()).height())) + 4);
  }

  // Flows the items into rows `width` wide; fills (x, row) per item when asked. Returns the
  // number of rows.
  int layoutItems(int width, std::vector<QPointF>* at) const
  {
    const QFontMetricsF fm(legendFont());
    constexpr double kLeft = 12;
    constexpr double kGap = 14;
    double x = kLeft;
    int row = 0;
    for (const Item& item : m_items) {
      const double w = item.glyphWidth + fm.horizontalAdvance(item.text);
      if (x > kLeft && x + w > width - kLeft) {
        x = kLeft;
        ++row;
      }
      if (at != nullptr) {
        at->emplace_back(x, row);
      }
      x += w + kGap;
    }
    return row + 1;
  }

  const Paint& m_paint;
  std::vector<Item> m_items;
};

TimelineWidget::TimelineWidget(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
    , m_rowScroll(new QScrollBar(Qt::Vertical, this))
    , m_paint(std::make_unique<Paint>())
{
  m_plot->setObjectName(QStringLiteral("timelinePlot"));
  m_rowScroll->setObjectName(QStringLiteral("timelineRowScroll"));
  m_rowScroll->setToolTip(tr("Scroll the task rows (Shift+wheel over the timeline)"));

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(m_plot, 1);
  layout->addWidget(m_rowScroll);

  m_plot->plotLayout()->insertRow(0);
  m_plot->plotLayout()->addElement(0, 0, new Legend(m_plot, *m_paint));

  QCPAxis* time = m_plot->xAxis;
  time->setLabel(tr("loop time (s)"));
  time->setRange(0.0, kInitialWindowSeconds);

  QCPAxis* tasks = m_plot->yAxis;
  tasks->setTicks(false);         // the plottable draws the labels, as an indented tree
  tasks->setRangeReversed(true);  // the loop row at the top, like a trace viewer
  tasks->setSubTicks(false);
  tasks->setTickLength(0, 0);
  tasks->grid()->setVisible(false);

  m_plot->axisRect()->setMinimumMargins(QMargins(15, 5, 25, 15));
  m_plot->axisRect()->setAutoMargins(QCP::msTop | QCP::msRight | QCP::msBottom);
  m_plot->axisRect()->setMargins(QMargins(kMinLabelColumnPx, 0, 0, 0));
  m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
  m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
  m_plot->setNoAntialiasingOnDrag(true);

  m_plottable = new Plottable(time, tasks, *m_paint);
  m_plottable->setSelectable(QCP::stNone);
  applyTheme();

  m_plot->installEventFilter(this);
  m_plot->setMouseTracking(true);
  connect(time, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
          &TimelineWidget::onTimeRangeChanged);
  connect(m_rowScroll, &QScrollBar::valueChanged, this, [this](int value) {
    m_firstRow = value;
    applyRowRange();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
  });
  // The rows fit the axis rect as laid out for this drawing (its height depends on the font's
  // legend and tick labels, and an export has a size of its own), so they are never squeezed
  // below the row height.
  connect(m_plot, &QCustomPlot::afterLayout, this, [this] {
    applyRowRange();
    if (m_plot->viewport() == m_plot->rect()) {
      updateScrollBar();  // on screen, not for an export
    }
  });
  applyRowRange();
}

TimelineWidget::~TimelineWidget() = default;

void TimelineWidget::applyTheme()
{
  const Theme& theme = Theme::forPalette(palette());
  m_paint->theme = &theme;
  m_paint->rowHeight = rowHeightFor(font());
  m_plot->setBackground(theme.background);
  for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis}) {
    axis->setBasePen(QPen(theme.axis, 0, Qt::SolidLine, Qt::SquareCap));
    axis->setTickPen(QPen(theme.axis, 0, Qt::SolidLine, Qt::SquareCap));
    axis->setSubTickPen(QPen(theme.axis, 0, Qt::SolidLine, Qt::SquareCap));
    axis->setTickLabelColor(theme.text);
    axis->setLabelColor(theme.text);
    axis->setTickLabelFont(font());
    axis->setLabelFont(font());
    axis->grid()->setPen(QPen(theme.grid, 0, Qt::DotLine));
    axis->grid()->setZeroLinePen(QPen(theme.grid, 0, Qt::SolidLine));
  }
}

void TimelineWidget::changeEvent(QEvent* event)
{
  QWidget::changeEvent(event);
  switch (event->type()) {
    case QEvent::PaletteChange:
    case QEvent::StyleChange:
      applyTheme();
      m_plot->replot(QCustomPlot::rpQueuedReplot);
      break;
    case QEvent::FontChange:
      // Row height, axis fonts and the label column's width all follow the font.
      applyTheme();
      m_tasksMeasured = SIZE_MAX;  // more than any model has: measure every label again
      updateRows();
      m_plot->replot(QCustomPlot::rpQueuedReplot);
      break;
    default:
      break;
  }
}

void TimelineWidget::setModel(TimelineModel* model)
{
  m_model = model;
  m_paint->model = model;
  m_seenRevision = ~std::uint64_t{0};
  m_selected = 0;
  m_firstRow = 0;
  refresh(0);
}

void TimelineWidget::refresh(std::int64_t nowNs)
{
  const std::int64_t now = m_model != nullptr ? std::max(nowNs, m_model->endTime()) : nowNs;
  const bool moved = now != m_paint->now;
  m_paint->now = now;
  m_paint->selected = m_selected;
  if (m_model != nullptr && m_model->revision() != m_seenRevision) {
    m_seenRevision = m_model->revision();
    updateRows();
  } else if (!moved) {
    return;
  }
  if (m_follow) {
    const double start = m_model != nullptr ? toSeconds(m_model->retainedFrom()) : 0.0;
    setWindow(timeline::followNow(window(), toSeconds(now), start));
  }
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineWidget::setFollow(bool on)
{
  if (on == m_follow) {
    return;
  }
  m_follow = on;
  if (on) {
    const double start = m_model != nullptr ? toSeconds(m_model->retainedFrom()) : 0.0;
    setWindow(timeline::followNow(window(), toSeconds(m_paint->now), start));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
  }
  emit followChanged(on);
}

void TimelineWidget::zoomToFit()
{
  const std::int64_t start = m_model != nullptr ? m_model->retainedFrom() : 0;
  setWindow(timeline::fitRun(toSeconds(start), toSeconds(m_paint->now)));
  setFollow(false);
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineWidget::zoomBy(double factor)
{
  const timeline::Window w = window();
  const double anchor = m_follow ? toSeconds(m_paint->now) : (w.lower + w.upper) / 2;
  setWindow(timeline::zoomAround(w, anchor, factor));
  if (m_follow) {
    setWindow(timeline::followNow(window(), toSeconds(m_paint->now),
                                  m_model != nullptr ? toSeconds(m_model->retainedFrom()) : 0.0));
  }
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

timeline::Window TimelineWidget::window() const
{
  const QCPRange r = m_plot->xAxis->range();
  return {r.lower, r.upper};
}

void TimelineWidget::setWindow(timeline::Window window)
{
  m_settingRange = true;
  m_plot->xAxis->setRange(window.lower, window.upper);
  m_settingRange = false;
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineWidget::onTimeRangeChanged()
{
  if (m_settingRange) {
    return;
  }
  // The user dragged or wheel-zoomed: stop following so the view stays where they put it.
  if (m_follow) {
    m_follow = false;
    emit followChanged(false);
  }
}

void TimelineWidget::selectTask(std::uint32_t id)
{
  m_selected = id;
  m_paint->selected = id;
  if (m_model != nullptr && id != 0) {
    const int row = m_model->rowOf(id) + 1;
    if (row > 0 && (row < m_firstRow || row >= m_firstRow + visibleRowCapacity())) {
      m_rowScroll->setValue(std::max(0, row - visibleRowCapacity() / 2));
    }
  }
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TimelineWidget::toggleCollapsed(std::uint32_t id)
{
  if (m_model == nullptr || m_model->task(id) == nullptr || m_model->task(id)->children.empty()) {
    return;
  }
  m_model->setCollapsed(id, !m_model->isCollapsed(id));
  refresh(m_paint->now);
}

QString TimelineWidget::timeAxisLabel() const
{
  return m_plot->xAxis->label();
}

int TimelineWidget::visibleRowCapacity() const
{
  const int h = m_plot->axisRect()->height();
  return std::max(1, (h > 0 ? h : m_plot->height() - 60) / m_paint->rowHeight);
}

void TimelineWidget::applyRowRange()
{
  const int capacity = visibleRowCapacity();
  m_paint->firstRow = m_firstRow;
  m_paint->rowCapacity = capacity;
  m_plot->yAxis->setRange(m_firstRow - 0.5, m_firstRow - 0.5 + capacity);
}

void TimelineWidget::updateScrollBar()
{
  const int rows = m_model != nullptr ? static_cast<int>(m_model->rows().size()) + 1 : 1;
  const int capacity = visibleRowCapacity();
  m_rowScroll->setRange(0, std::max(0, rows - capacity));
  m_rowScroll->setPageStep(capacity);
  // Always shown, enabled when there are more rows than fit: showing it only then would
  // re-layout the plot (and stall a frame for 35 ms) the moment a run outgrows the view.
  m_rowScroll->setEnabled(rows > capacity);
  if (m_firstRow > m_rowScroll->maximum()) {
    m_rowScroll->setValue(m_rowScroll->maximum());
  }
}

QStringList TimelineWidget::rowLabels() const
{
  QStringList out{tr("loop thread")};
  if (m_model == nullptr) {
    return out;
  }
  for (const std::uint32_t id : m_model->rows()) {
    const TaskInfo* t = m_model->task(id);
    if (t == nullptr) {
      continue;
    }
    QString label(static_cast<int>(std::min<std::uint32_t>(t->depth, kMaxIndentLevels)) * 2,
                  QLatin1Char(' '));
    if (!t->children.empty()) {
      label += m_model->isCollapsed(t->id) ? QStringLiteral("▸ ") : QStringLiteral("▾ ");
    }
    label += qs(t->name);
    if (m_model->isCollapsed(t->id)) {
      label += QStringLiteral(" (+%1)").arg(m_model->descendantCount(t->id));
    }
    out << label;
  }
  return out;
}

void TimelineWidget::updateRows()
{
  QFont font = m_plot->font();
  if (m_model == nullptr || m_model->generation() != m_measuredGeneration ||
      m_model->taskCount() < m_tasksMeasured) {
    font.setItalic(true);
    m_labelColumn = QFontMetricsF(font).horizontalAdvance(tr("loop thread"));
    font.setItalic(false);
    m_tasksMeasured = 0;
    m_widthByShape.clear();
    m_measuredGeneration = m_model != nullptr ? m_model->generation() : ~std::uint64_t{0};
  }
  if (m_model != nullptr && m_tasksMeasured < m_model->taskCount()) {
    font.setBold(true);  // the selected row's label is bold: leave room for it
    const QFontMetricsF fm(font);
    // Room for a collapsed group's " (+N)" too.
    const double suffix = fm.horizontalAdvance(QStringLiteral(" (+99999)"));
    std::string shape;
    for (std::size_t i = m_tasksMeasured; i < m_model->taskCount(); ++i) {
      const TaskInfo& t = m_model->taskAt(i);
      shape.assign(t.name, 0, std::min<std::size_t>(t.name.size(), kMaxLabelChars * 4));
      for (char& c : shape) {
        if (c >= '0' && c <= '9') {
          c = '0';
        }
      }
      auto it = m_widthByShape.find(shape);
      if (it == m_widthByShape.end()) {
        QString name = qs(t.name);
        if (name.size() > kMaxLabelChars) {
          name = name.left(kMaxLabelChars - 1) + QStringLiteral("…");
        }
        it = m_widthByShape.emplace(shape, fm.horizontalAdvance(name)).first;
      }
      m_labelColumn =
          std::max(m_labelColumn, kIndentPx * std::min<double>(t.depth, kMaxIndentLevels) + 12 +
                                      it->second + (t.children.empty() ? 0.0 : suffix));
    }
    m_tasksMeasured = m_model->taskCount();
  }
  const int width = std::clamp(static_cast<int>(std::ceil(m_labelColumn)) + 2 * kLabelPadPx + 4,
                               kMinLabelColumnPx, kMaxLabelColumnPx);
  if (m_plot->axisRect()->margins().left() != width) {
    m_plot->axisRect()->setMargins(QMargins(width, 0, 0, 0));
  }
  updateScrollBar();
  applyRowRange();
}

void TimelineWidget::resizeEvent(QResizeEvent* event)
{
  QWidget::resizeEvent(event);
  updateScrollBar();
  applyRowRange();
}

int TimelineWidget::rowAtY(double y) const
{
  const QRect r = m_plot->axisRect()->rect();
  if (y < r.top() || y > r.bottom()) {
    return -1;
  }
  const double row = m_plot->yAxis->pixelToCoord(y);
  const int index = static_cast<int>(std::lround(row));
  const int rows = m_model != nullptr ? static_cast<int>(m_model->rows().size()) + 1 : 1;
  return index >= 0 && index < rows ? index : -1;
}

std::uint32_t TimelineWidget::taskAtRow(int row) const
{
  if (m_model == nullptr || row <= 0 || row > static_cast<int>(m_model->rows().size())) {
    return 0;
  }
  return m_model->rows()[static_cast<std::size_t>(row - 1)];
}

QPoint TimelineWidget::positionOf(std::uint32_t id, std::int64_t tNs) const
{
  if (m_model == nullptr) {
    return {-1, -1};
  }
  const int row = id == 0 ? 0 : m_model->rowOf(id) + 1;
  if (id != 0 && row <= 0) {
    return {-1, -1};
  }
  const double x = m_plot->xAxis->coordToPixel(toSeconds(tNs));
  const double y = m_plot->yAxis->coordToPixel(row);
  if (!m_plot->axisRect()->rect().contains(QPointF(x, y).toPoint())) {
    return {-1, -1};
  }
  return QPointF(x, y).toPoint();
}

QString TimelineWidget::toolTipAt(QPoint pos) const
{
  if (m_model == nullptr) {
    return {};
  }
  const TimelineModel& m = *m_model;
  if (!m_plot->axisRect()->rect().contains(pos)) {
    const int row = rowAtY(pos.y());
    if (pos.x() < m_plot->axisRect()->rect().left() && row > 0) {
      const TaskInfo* t = m.task(taskAtRow(row));
      if (t != nullptr && !t->children.empty()) {
        return tr("%1: %2 child task(s). Click to %3.")
            .arg(qs(t->name))
            .arg(m.descendantCount(t->id))
            .arg(m.isCollapsed(t->id) ? tr("expand") : tr("collapse"));
      }
    }
    return {};
  }
  const double tSec = m_plot->xAxis->pixelToCoord(pos.x());
  const std::int64_t t = toNs(tSec);
  const double nsPerPx = (m_plot->xAxis->range().size() / m_plot->axisRect()->width()) * 1e9;
  const auto hit = static_cast<std::int64_t>(nsPerPx * kMarkerHitPx);
  QStringList lines;

  for (const GlobalMarker& g : m.globalMarkers()) {
    if (g.kind == GlobalMarker::Kind::Signal && std::llabs(g.t - t) <= hit) {
      lines << tr("<b>%1</b> received at %2").arg(signalName(g.arg), qs(timeline::formatTime(g.t)));
    }
  }
  const std::int64_t grace = graceDeadline(m);
  if (grace != kNever && std::llabs(grace - t) <= hit) {
    lines << tr("<b>grace deadline</b> at %1: shutdown stops waiting for the remaining tasks")
                 .arg(qs(timeline::formatTime(grace)));
  }

  const int row = rowAtY(pos.y());
  if (row == 0) {
    const auto [first, last] = m.loopSpansIn(t, t);
    for (std::size_t i = first; i < last; ++i) {
      const LoopSpan& s = m.loopSpans()[i];
      const std::int64_t end = s.end == kOpenEnd ? m_paint->now : s.end;
      const QString dur = qs(timeline::formatDuration(end - s.start));
      switch (s.kind) {
        case LoopSpan::Kind::Idle:
          lines << tr("loop idle (waiting in epoll) for %1").arg(dur);
          break;
        case LoopSpan::Kind::Callback:
          lines << tr("callback for %1%2").arg(dur, s.slow ? tr(" — slow callback") : QString());
          break;
        case LoopSpan::Kind::Step: {
          const bool blocking = s.end == kOpenEnd && end - s.start >= kSlowStepNs;
          lines << tr("<b>%1</b> holds the loop thread for %2%3")
                       .arg(qs(m.taskName(s.task)).toHtmlEscaped(), dur,
                            s.slow || blocking
                                ? tr(" — <b>blocking the loop</b>: no other task can run")
                                : QString());
          break;
        }
      }
    }
  } else if (row > 0) {
    const std::uint32_t id = taskAtRow(row);
    const TaskInfo* task = m.task(id);
    if (task != nullptr) {
      const QString name = qs(task->name).toHtmlEscaped();
      const auto [mFirst, mLast] = m.markersIn(id, t - hit, t + hit);
      for (std::size_t i = mFirst; i < mLast; ++i) {
        const Marker& mk = task->markers[i];
        const QString at = qs(timeline::formatTime(mk.t));
        switch (mk.kind) {
          case MarkerKind::CancelRequested:
            lines << tr("cancel requested at %1 by %2%3")
                         .arg(at,
                              mk.detail != 0 ? qs(m.taskName(static_cast<std::uint32_t>(mk.detail)))
                                             : tr("outside any task"),
                              mk.text != 0 ? QStringLiteral(": “%1”").arg(qs(m.text(mk.text)))
                                           : QString());
            break;
          case MarkerKind::CancelDelivered:
            lines << tr("CancelledError delivered at %1 at %2").arg(at, siteText(m, mk.site));
            break;
          case MarkerKind::CancelSwallowed:
            lines << tr("<b>CancelledError swallowed</b> at %1: caught and not re-raised, so the "
                        "task goes on (shutdown waits for it)")
                         .arg(at);
            break;
          case MarkerKind::TimeoutFired:
            lines << tr("<b>timeout fired</b> at %1").arg(at);
            break;
          case MarkerKind::SlowStep:
            lines << tr("Executing %1 took %2 (slow step: the loop was blocked)")
                         .arg(name,
                              qs(timeline::formatDuration(static_cast<std::int64_t>(mk.detail))));
            break;
          case MarkerKind::Diagnostic:
            lines << tr("<b>diagnostic</b>: %1").arg(qs(m.text(mk.text)).toHtmlEscaped());
            break;
          case MarkerKind::Print:
            lines << tr("printed: %1").arg(qs(m.text(mk.text)).toHtmlEscaped());
            break;
          case MarkerKind::Uncancel:
            lines << tr("uncancel() at %1, cancelling() = %2").arg(at).arg(mk.arg);
            break;
          case MarkerKind::Await:
          case MarkerKind::ExecutorJob:
          case MarkerKind::Count_:
            break;
        }
      }
      for (const TimeoutScope& s : m.timeouts()) {
        if (s.task != id) {
          continue;
        }
        const std::int64_t end = s.deadline != kNever ? s.deadline : m_paint->now;
        if (t >= s.armed && t <= end) {
          lines << tr("timeout scope armed at %1, deadline %2%3")
                       .arg(
                           qs(timeline::formatTime(s.armed)),
                           s.deadline != kNever ? qs(timeline::formatTime(s.deadline)) : tr("none"),
                           s.fired != kNever ? tr(", fired") : QString());
        }
      }
      if (const std::optional<StateSpan> span = m.spanAt(id, t)) {
        const std::int64_t end = span->end == kOpenEnd ? m_paint->now : span->end;
        QString line = tr("<b>%1</b> — %2 for %3 (from %4)")
                           .arg(name, QString::fromLatin1(taskStateName(span->state)),
                                qs(timeline::formatDuration(end - span->start)),
                                qs(timeline::formatTime(span->start)));
        if (span->await != engine::AwaitKind::None && span->await != engine::AwaitKind::Yield) {
          line +=
              tr("<br>awaiting %1").arg(awaitText(m, span->await, span->object).toHtmlEscaped());
          const QString site = siteText(m, span->site);
          if (!site.isEmpty()) {
            line += tr("<br>at %1").arg(site.toHtmlEscaped());
          }
        }
        lines << line;
      } else if (task->ended != kNever && t >= task->ended) {
        lines << tr("<b>%1</b> ended %2 at %3%4")
                     .arg(name, QString::fromLatin1(taskStateName(task->state)),
                          qs(timeline::formatTime(task->ended)),
                          task->outcome == 0
                              ? QString()
                              : QStringLiteral(": ") + qs(m.outcomeText(*task)).toHtmlEscaped());
      }
    }
  }
  return lines.join(QStringLiteral("<br>"));
}

std::uint32_t TimelineWidget::siteAt(QPoint pos) const
{
  if (m_model == nullptr || !m_plot->axisRect()->rect().contains(pos)) {
    return 0;
  }
  const int row = rowAtY(pos.y());
  if (row <= 0) {
    return 0;
  }
  const std::uint32_t id = taskAtRow(row);
  const TaskInfo* task = m_model->task(id);
  if (task == nullptr) {
    return 0;
  }
  const std::int64_t t = toNs(m_plot->xAxis->pixelToCoord(pos.x()));
  const double nsPerPx = (m_plot->xAxis->range().size() / m_plot->axisRect()->width()) * 1e9;
  const auto hit = static_cast<std::int64_t>(nsPerPx * kMarkerHitPx);
  // The nearest await tick within reach.
  std::uint32_t best = 0;
  std::int64_t bestDistance = hit + 1;
  for (const Marker& mk : m_model->awaitsIn(id, t - hit, t + hit)) {
    if (mk.site != 0 && std::llabs(mk.t - t) < bestDistance) {
      best = mk.site;
      bestDistance = std::llabs(mk.t - t);
    }
  }
  if (best != 0) {
    return best;
  }
  const std::optional<StateSpan> span = m_model->spanAt(id, t);
  return span ? span->site : 0;
}

bool TimelineWidget::eventFilter(QObject* watched, QEvent* event)
{
  if (watched != m_plot) {
    return QWidget::eventFilter(watched, event);
  }
  switch (event->type()) {
    case QEvent::Paint:
      // Moved to a screen with another device pixel ratio: QCustomPlot 2.1 sizes its buffers
      // for the ratio it was created with, which would draw blurred (or too large). Redraw the
      // buffers now, before this paint event shows them.
      if (!qFuzzyCompare(m_plot->bufferDevicePixelRatio(), m_plot->devicePixelRatioF())) {
        m_plot->setBufferDevicePixelRatio(m_plot->devicePixelRatioF());
        m_plot->replot(QCustomPlot::rpQueuedRefresh);
      }
      break;
    case QEvent::ToolTip: {
      auto* help = static_cast<QHelpEvent*>(event);
      const QString text = toolTipAt(help->pos());
      if (text.isEmpty()) {
        QToolTip::hideText();
      } else {
        QToolTip::showText(help->globalPos(), text, m_plot);
      }
      return true;
    }
    case QEvent::Wheel: {
      auto* wheel = static_cast<QWheelEvent*>(event);
      const bool overLabels = wheel->position().x() < m_plot->axisRect()->rect().left();
      if ((wheel->modifiers() & Qt::ShiftModifier) != 0 || overLabels) {
        const int steps = wheel->angleDelta().y() != 0 ? wheel->angleDelta().y() / 120
                                                       : wheel->angleDelta().x() / 120;
        m_rowScroll->setValue(m_rowScroll->value() - steps * 3);
        return true;
      }
      break;
    }
    case QEvent::MouseButtonPress:
      m_pressPos = static_cast<QMouseEvent*>(event)->pos();
      break;
    case QEvent::MouseButtonRelease: {
      auto* mouse = static_cast<QMouseEvent*>(event);
      if (mouse->button() != Qt::LeftButton || (mouse->pos() - m_pressPos).manhattanLength() > 3) {
        break;  // a drag (pan), not a click
      }
      const int row = rowAtY(mouse->pos().y());
      const std::uint32_t id = taskAtRow(row);
      if (mouse->pos().x() < m_plot->axisRect()->rect().left()) {
        toggleCollapsed(id);  // a click on a task's name opens or closes its group
      }
      selectTask(id);
      emit taskSelected(id);
      if (const std::uint32_t site = siteAt(mouse->pos()); site != 0) {
        emit siteClicked(site);
      }
      break;
    }
    case QEvent::MouseButtonDblClick: {
      auto* mouse = static_cast<QMouseEvent*>(event);
      toggleCollapsed(taskAtRow(rowAtY(mouse->pos().y())));
      return true;
    }
    default:
      break;
  }
  return QWidget::eventFilter(watched, event);
}

QImage TimelineWidget::toImage(QSize size, double scale) const
{
  if (size.isEmpty() || !(scale > 0)) {
    return {};
  }
  // QCustomPlot draws through a painter scaled by `scale` (text and lines at the full
  // resolution, not an enlarged 1x picture).
  QImage image = m_plot->toPixmap(size.width(), size.height(), scale).toImage();
  image.setDevicePixelRatio(scale);
  return image;
}

TimelineWidget::ExportFormat TimelineWidget::formatForPath(const QString& path)
{
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("jpg") || suffix == QLatin1String("jpeg")) {
    return ExportFormat::Jpg;
  }
  if (suffix == QLatin1String("pdf")) {
    return ExportFormat::Pdf;
  }
  if (suffix == QLatin1String("svg")) {
    return ExportFormat::Svg;
  }
  return ExportFormat::Png;
}

bool TimelineWidget::exportImage(const QString& path, const ExportOptions& options, QString* error)
{
  auto fail = [&](const QString& why) {
    if (error != nullptr) {
      *error = tr("Cannot write %1: %2").arg(path, why);
    }
    return false;
  };
  if (options.size.isEmpty()) {
    return fail(tr("the image size is empty"));
  }
  AtomicFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    return fail(file.errorString());
  }

  // The whole run: widen the window for the rendering only, then put the user's view back.
  const timeline::Window saved = window();
  const int savedFirstRow = m_firstRow;
  if (options.wholeRun) {
    const std::int64_t start = m_model != nullptr ? m_model->retainedFrom() : 0;
    setWindow(timeline::fitRun(toSeconds(start), toSeconds(m_paint->now)));
  }
  const int w = options.size.width();
  const int h = options.size.height();
  bool ok = true;
  switch (options.format) {
    case ExportFormat::Png:
    case ExportFormat::Jpg: {
      QImage image = m_plot->toPixmap(w, h, options.scale).toImage();
      // The density (96 dpi per scale step) tells viewers the image's intended size.
      const int dotsPerMeter = qRound(96.0 * options.scale / 0.0254);
      image.setDotsPerMeterX(dotsPerMeter);
      image.setDotsPerMeterY(dotsPerMeter);
      // PNG: Qt maps a "quality" to zlib's level, and 92 means almost no compression (4 MB for
      // 1600x900): the default level instead. JPEG: quality 92.
      // Encoded in memory, then written: when a write fails inside libpng (a full disk), its
      // error exit longjmps past the delete[] of Qt's row pointers (a leak) and gives no reason.
      QBuffer encoded;
      encoded.open(QIODevice::WriteOnly);
      ok = (options.format == ExportFormat::Png ? image.save(&encoded, "PNG")
                                                : image.save(&encoded, "JPG", 92)) &&
           file.write(encoded.data()) == encoded.size();
      break;
    }
    case ExportFormat::Pdf: {
      QPdfWriter writer(&file);
      writer.setResolution(72);  // one PDF point per device-independent pixel
      writer.setPageSize(QPageSize(QSizeF(w, h), QPageSize::Point));
      writer.setPageMargins(QMarginsF(0, 0, 0, 0));
      writer.setCreator(QStringLiteral("loopscope"));
      writer.setTitle(tr("loopscope timeline"));
      QCPPainter painter;
      ok = painter.begin(&writer);
      if (ok) {
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        m_plot->toPainter(&painter, w, h);
        painter.end();
      }
      break;
    }
    case ExportFormat::Svg: {
      QSvgGenerator generator;
      generator.setOutputDevice(&file);
      generator.setSize(QSize(w, h));
      generator.setViewBox(QRect(0, 0, w, h));
      generator.setTitle(tr("loopscope timeline"));
      QCPPainter painter;
      ok = painter.begin(&generator);
      if (ok) {
        painter.setMode(QCPPainter::pmVectorized);
        painter.setMode(QCPPainter::pmNoCaching);
        m_plot->toPainter(&painter, w, h);
        painter.end();
      }
      break;
    }
  }
  if (options.wholeRun) {
    setWindow(saved);
  }
  m_firstRow = savedFirstRow;
  applyRowRange();
  m_plot->replot(QCustomPlot::rpQueuedReplot);
  if (!ok) {
    const QString why = file.writeFailed() ? file.errorString() : tr("rendering failed");
    file.cancelWriting();
    return fail(why);
  }
  if (!file.commit()) {
    return fail(file.errorString());
  }
  return true;
}

}  // namespace loopscope::views
