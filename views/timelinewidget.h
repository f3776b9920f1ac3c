// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <views/timelinecoordinates.h>

#include <QImage>
#include <QSize>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

class QCustomPlot;
class QScrollBar;

namespace loopscope::views {

class TimelineModel;

// The timeline: loop time along the bottom, the loop row (who holds the loop thread) at the top,
// then one row per task in tree order. Bars are coloured by state; markers show await points,
// timeouts, cancellations (request -> delivery arrows), swallowed cancellations, signals and
// shutdown phases. Reads a TimelineModel; never writes it (collapsing a group aside).
//
// QCustomPlot stays an implementation detail so that only this widget's .cpp parses its header.
class TimelineWidget : public QWidget
{
  Q_OBJECT

public:
  explicit TimelineWidget(QWidget* parent = nullptr);
  ~TimelineWidget() override;

  TimelineWidget(const TimelineWidget&) = delete;
  TimelineWidget& operator=(const TimelineWidget&) = delete;
  TimelineWidget(TimelineWidget&&) = delete;
  TimelineWidget& operator=(TimelineWidget&&) = delete;

  // The model to draw (not owned; null = nothing). Collapsing a group writes to it.
  void setModel(TimelineModel* model);
  // Redraws after the model changed, with the live loop time (the "now" line; follow mode keeps
  // it in view). Cheap when nothing changed; the repaint itself is queued.
  void refresh(std::int64_t nowNs);

  [[nodiscard]] bool follow() const noexcept { return m_follow; }
  void setFollow(bool on);
  // The whole run, from its start to now.
  void zoomToFit();
  // Zooms around the middle of the window (factor < 1: in).
  void zoomBy(double factor);
  [[nodiscard]] timeline::Window window() const;
  void setWindow(timeline::Window window);

  [[nodiscard]] std::uint32_t selectedTask() const noexcept { return m_selected; }
  // Highlights a task's row (0 = none) and scrolls it into view; does not emit taskSelected.
  void selectTask(std::uint32_t id);
  // Expands or collapses the children of a task.
  void toggleCollapsed(std::uint32_t id);

  [[nodiscard]] QString timeAxisLabel() const;
  // The row labels as drawn, top to bottom, with the tree as text: "loop thread", "▾ main",
  // "  worker-1", "  ▸ group (+12)" (two spaces per level; ▾ open group, ▸ collapsed).
  [[nodiscard]] QStringList rowLabels() const;
  // The tooltip text for a point of the plot widget (empty where there is nothing to say).
  [[nodiscard]] QString toolTipAt(QPoint plotPos) const;
  // The widget-local position of task `id`'s row at loop time t (for tests and tooltips);
  // nullopt-like QPoint(-1,-1) when the row is hidden or out of view.
  [[nodiscard]] QPoint positionOf(std::uint32_t id, std::int64_t tNs) const;
  [[nodiscard]] QCustomPlot* plot() const noexcept { return m_plot; }
  // The await site under a point of the plot widget: an await tick within a few pixels, else the
  // site of the suspended span there; 0 when there is none. A click on it emits siteClicked().
  [[nodiscard]] std::uint32_t siteAt(QPoint plotPos) const;

  // Renders the plot at `size` device-independent pixels, independent of the widget's own size
  // and visibility (for exports and headless checks), drawn at `scale` pixels per
  // device-independent pixel (2: a high-DPI image of size * 2 with devicePixelRatio 2). Returns a
  // null image for an empty size or a scale that is not positive.
  [[nodiscard]] QImage toImage(QSize size, double scale = 1.0) const;

  enum class ExportFormat { Png, Jpg, Pdf, Svg };
  struct ExportOptions
  {
    ExportFormat format = ExportFormat::Png;
    QSize size{1600, 900};  // device-independent pixels (points for PDF)
    double scale = 1.0;     // raster formats: pixels per device-independent pixel
    bool wholeRun = true;   // false: the visible window only
  };
  // Writes the timeline to `path` atomically (temp file + rename). On failure returns false and
  // sets `error` to a sentence naming the path and the cause.
  bool exportImage(const QString& path, const ExportOptions& options, QString* error);
  // The format a file name asks for (by suffix; Png when unknown).
  [[nodiscard]] static ExportFormat formatForPath(const QString& path);

signals:
  // The user clicked a task's bar (0: clicked empty space).
  void taskSelected(std::uint32_t id);
  // Follow mode changed, by setFollow() or because the user panned or zoomed.
  void followChanged(bool on);
  // The user clicked an await tick or a suspended span (after taskSelected): its site (a
  // TimelineModel site id), e.g. to show the script line.
  void siteClicked(std::uint32_t site);

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  // A palette change (light/dark) restyles the plot; a font change resizes rows and labels.
  void changeEvent(QEvent* event) override;

private:
  struct Paint;
  class Plottable;
  class Legend;

  // Colours from the palette (Theme::forPalette), row height from the font.
  void applyTheme();
  void updateRows();
  void updateScrollBar();
  void applyRowRange();
  void onTimeRangeChanged();
  int visibleRowCapacity() const;
  // Visual row (0 = loop row) under a plot-local y, or -1.
  int rowAtY(double y) const;
  std::uint32_t taskAtRow(int row) const;

  QCustomPlot* m_plot;  // owned through the Qt parent
  QScrollBar* m_rowScroll;
  Plottable* m_plottable = nullptr;  // owned by m_plot
  std::unique_ptr<Paint> m_paint;
  TimelineModel* m_model = nullptr;
  std::uint64_t m_seenRevision = ~std::uint64_t{0};
  // The label column's width is measured once per task, as tasks arrive (10,000 names shaped on
  // every 60 Hz refresh would stall the GUI thread).
  std::size_t m_tasksMeasured = 0;
  std::uint64_t m_measuredGeneration = ~std::uint64_t{0};
  double m_labelColumn = 0;
  // Label widths by the name's shape (digits as '0'): "job-00001" … "job-10000" are measured
  // once; the label font's digits are all the same width.
  std::unordered_map<std::string, double> m_widthByShape;
  std::uint32_t m_selected = 0;
  int m_firstRow = 0;
  bool m_follow = true;
  bool m_settingRange = false;  // a range change we make ourselves (not the user's pan/zoom)
  QPoint m_pressPos;
};

}  // namespace loopscope::views
