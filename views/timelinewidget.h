// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QSize>
#include <QString>
#include <QWidget>

class QCustomPlot;

namespace loopscope::views {

// The timeline area: loop time runs along the bottom axis, one row per task up the left axis.
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

  [[nodiscard]] QString timeAxisLabel() const;
  [[nodiscard]] QString taskAxisLabel() const;

  // Renders the plot at `size` device-independent pixels, independent of the widget's own size
  // and visibility (for exports and headless checks). Returns a null image for an empty size.
  [[nodiscard]] QImage toImage(QSize size) const;

private:
  QCustomPlot* m_plot;  // owned through the Qt parent
};

}  // namespace loopscope::views
